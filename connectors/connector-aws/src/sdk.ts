/**
 * Everything of the AWS SDK that weighs: the clients and their commands. It is imported on the
 * first AWS call, not at startup (it takes about a second and 30 MB), so a proxy that never
 * calls AWS does not pay for it.
 */
import {
  DescribeTableCommand,
  type DescribeTableCommandOutput,
  DynamoDBClient,
  PutItemCommand,
  type PutItemCommandInput,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  ScanCommand,
  type ScanCommandInput,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, type PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import { defaultProvider } from '@aws-sdk/credential-provider-node';

/** How the clients are built, from the connector's configuration. */
export interface AwsClientOptions {
  /** Path-style S3 URLs (`endpoint/bucket/key`), for S3-compatible servers without virtual hosts. */
  forcePathStyle: boolean;
  /** Attempts of one SDK call, retries included (the SDK's standard retry mode). */
  maxAttempts: number;
  /**
   * Runs the credential chain outside the egress policy (the proxy's `host.outsideEgress`): the
   * chain's endpoints (EC2 and ECS metadata on link-local addresses, STS, SSO) are the
   * deployment's, not the diagram's, so the policy that guards a command's connections must not
   * refuse them.
   */
  runOutside: <T>(work: () => Promise<T>) => Promise<T>;
}

/** The calls the commands make, on clients created once. */
export interface Aws {
  describeTable(table: string, signal: AbortSignal): Promise<DescribeTableCommandOutput>;
  putItem(input: PutItemCommandInput, signal: AbortSignal): Promise<unknown>;
  query(input: QueryCommandInput, signal: AbortSignal): Promise<QueryCommandOutput>;
  scan(input: ScanCommandInput, signal: AbortSignal): Promise<ScanCommandOutput>;
  putObject(input: PutObjectCommandInput, signal: AbortSignal): Promise<unknown>;
  /** The clients themselves (for tests and diagnostics). */
  clients: { dynamo: DynamoDBClient; s3: S3Client };
  /** Closes the clients' connection pools. */
  destroy(): void;
}

/**
 * Creates the clients. Credentials, region and endpoints come from the SDK's default chain:
 * `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, `AWS_PROFILE` and the shared
 * files, web identity, ECS and EC2 instance roles; `AWS_REGION`; `AWS_ENDPOINT_URL` and
 * `AWS_ENDPOINT_URL_DYNAMODB`/`AWS_ENDPOINT_URL_S3`. They are resolved at the first call.
 */
export function createAws(options: AwsClientOptions): Aws {
  const { maxAttempts, runOutside } = options;
  // The SDK's own default chain, with the init each client gives it; only the async context changes.
  const credentialDefaultProvider = (init: Parameters<typeof defaultProvider>[0]) => {
    const chain = defaultProvider(init);
    return (identity?: Parameters<typeof chain>[0]) => runOutside(() => chain(identity));
  };
  const dynamo = new DynamoDBClient({ maxAttempts, credentialDefaultProvider });
  const s3 = new S3Client({ maxAttempts, forcePathStyle: options.forcePathStyle, credentialDefaultProvider });
  return {
    describeTable: (table, signal) =>
      dynamo.send(new DescribeTableCommand({ TableName: table }), { abortSignal: signal }),
    putItem: (input, signal) => dynamo.send(new PutItemCommand(input), { abortSignal: signal }),
    query: (input, signal) => dynamo.send(new QueryCommand(input), { abortSignal: signal }),
    scan: (input, signal) => dynamo.send(new ScanCommand(input), { abortSignal: signal }),
    putObject: (input, signal) => s3.send(new PutObjectCommand(input), { abortSignal: signal }),
    clients: { dynamo, s3 },
    destroy() {
      dynamo.destroy();
      s3.destroy();
    },
  };
}
