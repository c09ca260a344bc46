import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { runCommand } from '@connector-proxy/core/testing';
import aws from '../src/index.js';
import { type LocalAws, startLocalAws, uniqueName } from './local-aws.js';

const UploadFileData = aws.commands.get('UploadFileData');
if (!UploadFileData) throw new Error('connector-aws has no UploadFileData');

let local: LocalAws;
let admin: S3Client;
let bucket: string;
before(async () => {
  local = await startLocalAws();
  admin = new S3Client({});
  bucket = uniqueName('bucket').toLowerCase();
  await admin.send(new CreateBucketCommand({ Bucket: bucket }));
});
after(async () => {
  admin.destroy();
  await local.stop();
});

async function read(key: string) {
  const object = await admin.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { contentType: object.ContentType, bytes: Buffer.from(await (object.Body?.transformToByteArray() ?? [])) };
}

test('Python\'s test upload answers its version-1 result: HTTP 200, body { "result": "success" }', async () => {
  const file_data = 'data:application/pdf;name=Harmeet_13435%20(1).pdf;base64,JVBERi0xLjQKJZOMi54gUmVwb3J0TFiIEdlb=';
  const run = await runCommand(UploadFileData, { file_data, bucket, object_name: 'file.txt' });
  assert.equal(run.invocation.kind, 'v1');
  assert.deepEqual(run.invocation.kind === 'v1' && run.invocation.answer, {
    status: 200,
    mimetype: 'application/json',
    body: '{ "result": "success" }',
  });
  const stored = await read('file.txt');
  assert.equal(stored.contentType, 'application/pdf');
  assert.equal(stored.bytes.subarray(0, 8).toString('latin1'), '%PDF-1.4');
  assert.match(run.logs.join('\n'), /will upload 27 bytes \(application\/pdf, file Harmeet_13435 \(1\)\.pdf\)/);
});

test('the object gets the bytes and the Content-Type of the data URL, parameters included', async () => {
  const text = 'Grüße, world\n';
  const file_data = `data:text/plain;charset=utf-8;name=greeting.txt;base64,${Buffer.from(text).toString('base64')}`;
  const run = await runCommand(UploadFileData, { file_data, bucket, object_name: 'docs/greeting.txt' });
  assert.equal(run.error, null);
  const stored = await read('docs/greeting.txt');
  assert.equal(stored.contentType, 'text/plain;charset=utf-8');
  assert.equal(stored.bytes.toString('utf8'), text);
});

test('a data URL without a name or a media type still uploads (application/octet-stream)', async () => {
  const bytes = Buffer.from([0, 1, 2, 250, 255]);
  const run = await runCommand(UploadFileData, {
    file_data: `data:;base64,${bytes.toString('base64')}`,
    bucket,
    object_name: 'raw.bin',
  });
  assert.equal(run.error, null);
  const stored = await read('raw.bin');
  assert.equal(stored.contentType, 'application/octet-stream');
  assert.deepEqual(stored.bytes, bytes);
});

test('a malformed file_data is InvalidParameters (400), names the shape and never quotes the value', async () => {
  const secretish = 'c2VjcmV0LWNvbnRlbnRz';
  const values = [
    `application/pdf;name=x.pdf;base64,${secretish}`,
    `data:application/pdf;name=x.pdf,${secretish}`,
    'data:application/pdf;name=x.pdf;base64,not base64!!',
    'data:application/pdf;name=x.pdf;base64,QUJDR',
    'data:bad type;name=x;base64,QUJD',
    'data:text/plain;charset="a b";base64,QUJD',
    '',
  ];
  for (const file_data of values) {
    const run = await runCommand(UploadFileData, { file_data, bucket, object_name: 'never.txt' });
    assert.equal(run.error?.error_code, 'InvalidParameters', file_data);
    assert.equal(run.envelope.command_response.http_status, 400);
    assert.equal(run.failure, 'invalid_parameters');
    assert.ok(!run.error?.message.includes(secretish));
  }
  await assert.rejects(read('never.txt'), { name: 'NoSuchKey' });
});

test('an empty bucket or object_name is InvalidParameters before anything is sent', async () => {
  const file_data = 'data:text/plain;base64,QUJD';
  for (const params of [
    { bucket: '', object_name: 'x' },
    { bucket, object_name: '' },
  ]) {
    const run = await runCommand(UploadFileData, { file_data, ...params });
    assert.equal(run.error?.error_code, 'InvalidParameters');
  }
});

test('a missing bucket is NoSuchBucket with http_status 404 (Python crashes with ValueError)', async () => {
  const run = await runCommand(UploadFileData, {
    file_data: 'data:text/plain;base64,QUJD',
    bucket: uniqueName('nobucket').toLowerCase(),
    object_name: 'x.txt',
  });
  assert.equal(run.invocation.kind, 'v2');
  assert.equal(run.error?.error_code, 'NoSuchBucket');
  assert.equal(run.envelope.command_response.http_status, 404);
  assert.match(run.error?.message ?? '', /^An error occurred \(NoSuchBucket\) when calling the PutObject operation: /);
});
