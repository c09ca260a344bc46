import { CommandError, ErrorCode } from '@connector-proxy/core';

/** Network failures get a 5xx status, so SpiffArena's retry policy may try again. */
export const NETWORK_FAILURE_STATUS = 502;

/** The codes every command of this connector can answer with besides the AWS ones. */
const COMMON_ERRORS = {
  [ErrorCode.InvalidConfiguration]:
    'The proxy has no AWS credentials or no region (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or a profile or role, and AWS_REGION); http_status 500.',
  ConnectionError: 'The AWS endpoint could not be reached (http_status 502).',
} as const;

/** The DynamoDB errors a diagram most likely meets; any other AWS error comes under its own name too. */
export const DYNAMO_ERRORS: Readonly<Record<string, string>> = {
  ResourceNotFoundException: 'There is no such table (in this account and region); http_status 400.',
  ValidationException:
    "DynamoDB refused the request: an item without the table's key attributes, a key of the wrong type, an item over 400 KB …; http_status 400.",
  AccessDeniedException: 'The credentials are not allowed this action on this table; http_status 400.',
  UnrecognizedClientException: 'The access key is not known to AWS; http_status 400.',
  ProvisionedThroughputExceededException: 'The table is throttled (http_status 429, so SpiffArena retries later).',
  ...COMMON_ERRORS,
};

/** The S3 errors a diagram most likely meets; any other AWS error comes under its own name too. */
export const S3_ERRORS: Readonly<Record<string, string>> = {
  NoSuchBucket: 'There is no such bucket; http_status 404.',
  AccessDenied: 'The credentials are not allowed to write this object; http_status 403.',
  InvalidAccessKeyId: 'The access key is not known to AWS; http_status 403.',
  SignatureDoesNotMatch: 'The secret access key is wrong; http_status 403.',
  SlowDown: 'S3 is throttling the bucket (http_status 429, so SpiffArena retries later).',
  ...COMMON_ERRORS,
};

// Throttling answers come with 400 (DynamoDB) or 503 (S3); 429 tells SpiffArena to retry later.
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
  'TooManyRequestsException',
  'SlowDown',
]);

// What Node and the SDK's HTTP handler report for a connection that failed or timed out.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);

/**
 * Turns what an SDK call threw into the command's failure. An AWS service error keeps its name
 * as the code (`ResourceNotFoundException`, `NoSuchBucket`, `AccessDenied` …) and its HTTP status,
 * with Python's boto message; missing credentials or region are `InvalidConfiguration`; an
 * unreachable endpoint is `ConnectionError`; the deadline is `CommandTimeout`. Anything else is
 * returned as it is, a crash reported under its own name.
 */
export function toAwsFailure(error: unknown, operation: string, signal: AbortSignal): unknown {
  if (signal.aborted) {
    return new CommandError(ErrorCode.CommandTimeout, `the command did not finish before its deadline (${operation})`, {
      httpStatus: 504,
      cause: error,
    });
  }
  if (!(error instanceof Error)) return error;
  const metadata = '$metadata' in error ? error.$metadata : undefined;
  const status = readStatus(metadata);
  if ('$fault' in error && status !== undefined) {
    const httpStatus = THROTTLING.has(error.name) ? 429 : status;
    return new CommandError(
      error.name,
      `An error occurred (${error.name}) when calling the ${operation} operation: ${error.message}`,
      { httpStatus, cause: error },
    );
  }
  if (error.name === 'CredentialsProviderError') {
    return configuration(`no AWS credentials for ${operation}: ${error.message}`, error);
  }
  if (/region is missing/i.test(error.message)) {
    return configuration(`no AWS region for ${operation}: set AWS_REGION (or a profile's region)`, error);
  }
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if ((code && NETWORK_CODES.has(code)) || error.name === 'TimeoutError') {
    return new CommandError('ConnectionError', `could not reach AWS for ${operation}: ${error.message}`, {
      httpStatus: NETWORK_FAILURE_STATUS,
      cause: error,
    });
  }
  return error;
}

function readStatus(metadata: unknown): number | undefined {
  if (typeof metadata !== 'object' || metadata === null || !('httpStatusCode' in metadata)) return undefined;
  const status = metadata.httpStatusCode;
  return typeof status === 'number' && status >= 100 && status <= 599 ? status : undefined;
}

function configuration(message: string, cause: unknown): CommandError {
  return new CommandError(ErrorCode.InvalidConfiguration, message, { httpStatus: 500, cause });
}
