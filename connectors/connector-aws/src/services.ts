import { type AwsClients, createAwsClients } from './clients.js';

let shared: AwsClients | undefined;

/** The clients for a command (interim: one set per process until core's connector lifecycle lands). */
export function clientsFor(config: Readonly<Record<string, string>>): AwsClients {
  shared ??= createAwsClients({
    forcePathStyle: config.S3_FORCE_PATH_STYLE === 'true',
    maxAttempts: 3,
  });
  return shared;
}
