import { defineConnector } from '@connector-proxy/core';
import * as commands from './commands/index.js';
import { services } from './services.js';

/** The aws connector: the Python connector-aws's DynamoDB and S3 commands, on the AWS SDK v3. */
export default defineConnector({
  name: 'aws',
  description: 'Put, query and scan DynamoDB items, and upload files to S3.',
  commands,
  services,
});
