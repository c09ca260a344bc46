import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The SDK clients the commands share, created once and destroyed at shutdown. */
export interface AwsClients {
  dynamo: DynamoDBClient;
  /** Marshals JSON to DynamoDB's attribute values and back; numbers stay exact (`NumberValue`). */
  documents: DynamoDBDocumentClient;
  s3: S3Client;
}

/** How the clients are built, from the connector's configuration. */
export interface AwsClientOptions {
  /** Path-style S3 URLs (`endpoint/bucket/key`), for S3-compatible servers without virtual hosts. */
  forcePathStyle: boolean;
  /** Attempts of one SDK call, retries included (the SDK's standard retry mode). */
  maxAttempts: number;
}

/**
 * Creates the clients. Credentials, region and endpoints come from the SDK's default chain:
 * `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, `AWS_PROFILE` and the shared
 * files, web identity, ECS and EC2 instance roles; `AWS_REGION`; `AWS_ENDPOINT_URL` and
 * `AWS_ENDPOINT_URL_DYNAMODB`/`AWS_ENDPOINT_URL_S3`. Nothing is resolved until the first call,
 * so a proxy without AWS settings still starts.
 */
export function createAwsClients(options: AwsClientOptions): AwsClients {
  const dynamo = new DynamoDBClient({ maxAttempts: options.maxAttempts });
  const documents = DynamoDBDocumentClient.from(dynamo, {
    marshallOptions: { removeUndefinedValues: true },
    unmarshallOptions: { wrapNumbers: true },
  });
  const s3 = new S3Client({ maxAttempts: options.maxAttempts, forcePathStyle: options.forcePathStyle });
  return { dynamo, documents, s3 };
}

/** Closes the clients' connection pools. */
export function destroyAwsClients(clients: AwsClients): void {
  clients.documents.destroy();
  clients.dynamo.destroy();
  clients.s3.destroy();
}
