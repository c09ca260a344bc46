/**
 * Real local S3 and DynamoDB implementations for the tests, on 127.0.0.1: s3rver (the S3 REST
 * API on the file system) and dynalite (the DynamoDB API on an in-memory LevelDB). Starting them
 * also points the SDK's default chain at them and only at them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dynalite from 'dynalite';
import S3rver from 's3rver';

/** s3rver knows one account; dynalite accepts any signature. Test-only values. */
export const ACCESS_KEY_ID = 'S3RVER';
export const SECRET_ACCESS_KEY = 'S3RVER';
export const REGION = 'us-east-1';

/** The running servers. */
export interface LocalAws {
  dynamoUrl: string;
  s3Url: string;
  /** Where s3rver keeps the objects, to check an upload without the SDK. */
  s3Directory: string;
  /** A 127.0.0.1 port nothing listens on. */
  closedPort: number;
  /** Requests that reached the stand-in for the EC2 instance metadata service. */
  metadataRequests: string[];
  metadataPort: number;
  /** When true, the stand-in answers as IMDSv2 on an instance with a role (the test credentials). */
  instanceRole: boolean;
  stop(): Promise<void>;
}

// Variables of the default chain that could lead the SDK to real AWS, a profile or a role.
const CLEARED = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_DEFAULT_REGION',
];

/**
 * Starts both servers on free ports and sets the environment the SDK reads: fake credentials,
 * a region, the two service endpoints, a catch-all endpoint on a closed local port, no shared
 * files, and no instance metadata (so nothing probes 169.254.169.254; its endpoint is local too).
 */
export async function startLocalAws(): Promise<LocalAws> {
  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await listen(dynamo);
  const s3Directory = mkdtempSync(join(tmpdir(), 'connector-aws-s3-'));
  const s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3Directory });
  const s3Address = await s3.run();
  const closedPort = await findClosedPort();
  // Even if the SDK ignored AWS_EC2_METADATA_DISABLED, its metadata calls would come here, not to 169.254.169.254.
  const metadataRequests: string[] = [];
  const metadata = createServer((request, response) => {
    metadataRequests.push(`${request.method} ${request.url}`);
    if (!local.instanceRole) return response.writeHead(404).end();
    const path = request.url ?? '';
    if (request.method === 'PUT' && path === '/latest/api/token') return response.end('imds-session-token');
    if (request.headers['x-aws-ec2-metadata-token'] !== 'imds-session-token') return response.writeHead(401).end();
    if (path === '/latest/meta-data/iam/security-credentials/') return response.end('test-role');
    if (path === '/latest/meta-data/iam/security-credentials/test-role') {
      const Expiration = new Date(Date.now() + 3_600_000).toISOString();
      const credentials = {
        Code: 'Success',
        Type: 'AWS-HMAC',
        AccessKeyId: ACCESS_KEY_ID,
        SecretAccessKey: SECRET_ACCESS_KEY,
        Token: 'role-session',
        Expiration,
      };
      return response.end(JSON.stringify(credentials));
    }
    response.writeHead(404).end();
  });
  await listen(metadata);
  const dynamoUrl = `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`;
  const s3Url = `http://127.0.0.1:${s3Address.port}`;
  for (const name of CLEARED) delete process.env[name];
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
    AWS_REGION: REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${(metadata.address() as AddressInfo).port}`,
    AWS_CONFIG_FILE: join(s3Directory, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(s3Directory, 'no-aws-credentials'),
    AWS_ENDPOINT_URL: `http://127.0.0.1:${closedPort}`,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl,
    AWS_ENDPOINT_URL_S3: s3Url,
  });
  const local: LocalAws = {
    dynamoUrl,
    s3Url,
    s3Directory,
    closedPort,
    metadataRequests,
    metadataPort: (metadata.address() as AddressInfo).port,
    instanceRole: false,
    async stop() {
      metadata.closeAllConnections();
      await new Promise((resolve) => metadata.close(resolve));
      await s3.close();
      await new Promise((resolve) => dynamo.close(resolve));
      rmSync(s3Directory, { recursive: true, force: true });
    },
  };
  return local;
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

/** A port that was free a moment ago; connecting to it is refused. */
async function findClosedPort(): Promise<number> {
  const server = createServer();
  await listen(server);
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A unique name for a table or bucket, so runs never share state. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}
