import { type Coerced, defineCommand, param } from '@connector-proxy/core';
import { S3_ERRORS, toAwsFailure } from '../errors.js';
import { toFileData } from '../file-data.js';
import { services } from '../services.js';

/** Python's `UploadFileData`: a SpiffArena file value put to S3, with its Content-Type. */
export const UploadFileData = defineCommand({
  description: 'Upload a file (a SpiffArena file value, data:<mime>;name=<name>;base64,<data>) to an S3 bucket.',
  services,
  params: {
    file_data: param
      .str('The file: data:<mime>;name=<file name>;base64,<data>, as a file field holds it')
      .refine(toFileData),
    bucket: param.str('The S3 bucket').refine(nonEmpty),
    object_name: param.str("The object's key in the bucket (a/b/report.pdf)").refine(nonEmpty),
  },
  idempotent: true,
  result: {
    description: 'HTTP 200 with the body { "result": "success" } (version 1, as Python).',
    schema: { type: 'object', required: ['result'], properties: { result: { const: 'success' } } },
  },
  errors: S3_ERRORS,
  async run({ file_data: file, bucket, object_name }, context) {
    const aws = await context.services.load();
    const named = file.name === undefined ? '' : `, file ${file.name}`;
    context.log(
      `will upload ${file.bytes.length} bytes (${file.contentType}${named}) to s3://${bucket}/${object_name}`,
    );
    try {
      await aws.putObject(
        { Bucket: bucket, Key: object_name, Body: file.bytes, ContentType: file.contentType },
        context.signal,
      );
    } catch (error) {
      throw toAwsFailure(error, 'PutObject', context.signal);
    }
    context.log(`did upload to s3://${bucket}/${object_name}`);
    // Python's answer, byte for byte.
    return { response: '{ "result": "success" }', status: 200, mimetype: 'application/json' };
  },
});

function nonEmpty(value: string): Coerced<string> {
  return value.trim() ? { ok: true, value } : { ok: false, problem: 'must not be empty' };
}
