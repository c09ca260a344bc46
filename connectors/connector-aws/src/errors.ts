import { CommandError, ErrorCode } from '@connector-proxy/core';

/** Network failures get a 5xx status, so SpiffArena's retry policy may try again. */
export const NETWORK_FAILURE_STATUS = 502;
/** The code of missing credentials or region: the proxy's configuration, not the diagram, must change. */
export const INVALID_CONFIGURATION = 'InvalidConfiguration';

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
  return new CommandError(INVALID_CONFIGURATION, message, { httpStatus: 500, cause });
}
