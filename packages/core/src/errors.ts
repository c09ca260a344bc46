/**
 * Error codes the proxy itself produces. Codes are API: a BPMN error boundary event catches
 * them by exact name, so never rename one. Connectors document their own codes in their README.
 */
export const ErrorCode = {
  /** Unknown connector or command (the Python proxy's code, kept for compatibility). */
  CommandNotFound: 'command_not_found',
  /** The request body is not a JSON object, or is too large. */
  InvalidRequest: 'InvalidRequest',
  /** Parameters are missing or of the wrong type; the message names each one. */
  InvalidParameters: 'InvalidParameters',
  /** The command did not finish before its deadline. */
  CommandTimeout: 'CommandTimeout',
  /** A command returned something that is neither a result nor a legacy response. */
  InvalidCommandResult: 'InvalidCommandResult',
  /** The command was stopped because the proxy is shutting down; retrying elsewhere may help (503). */
  ProxyShuttingDown: 'ProxyShuttingDown',
  /** A long-running command was running when its proxy stopped, and it is not safe to run again. */
  CommandInterrupted: 'CommandInterrupted',
  /** The egress policy refused a connection the command tried to open (403). */
  EgressDenied: 'EgressDenied',
  /** A connector's configuration value cannot be used. */
  InvalidConfiguration: 'InvalidConfiguration',
} as const;

/** One-line meanings of the proxy's own codes, for `?detailed=true`, OpenAPI and the docs. */
export const ERROR_MEANINGS: Readonly<Record<ErrorCodeName, string>> = {
  command_not_found: 'There is no such connector or command.',
  InvalidRequest: 'The request body is not a JSON object, is too deep, or is too large.',
  InvalidParameters: 'Parameters are missing or of the wrong type; the message names each one.',
  CommandTimeout: 'The command did not finish before its deadline (http_status 504).',
  InvalidCommandResult: 'The command returned something that cannot be sent (a bug in the connector).',
  ProxyShuttingDown: 'The proxy stopped the command while shutting down (http_status 503; retry).',
  CommandInterrupted: 'A long-running command was interrupted by a proxy restart and is not safe to repeat.',
  EgressDenied: 'The egress policy refused a connection the command tried to open (http_status 403).',
  InvalidConfiguration: "The connector's configuration cannot be used (http_status 500).",
};

/** One of the proxy's own error codes. */
export type ErrorCodeName = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Options of a {@link CommandError}. */
export interface CommandErrorOptions {
  /** Upstream (or equivalent) status; 5xx/429 tell SpiffArena a retry may help, other 4xx not. */
  httpStatus?: number;
  /** The underlying error, kept for debugging; never sent on the wire. */
  cause?: unknown;
  /**
   * A body to send beside the error (`command_response.body`), as Python's connector-http sends
   * the parsed upstream answer with `HttpError404`; a BPMN author can then read both.
   */
  body?: unknown;
  /** Headers to expose beside the error, like a result's `headers`. */
  headers?: Record<string, string>;
}

/** A failure a command expects and reports with a stable code (outer HTTP status 200). */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  readonly code: string;
  readonly httpStatus: number | undefined;
  readonly body: unknown;
  readonly headers: Record<string, string> | undefined;

  constructor(code: string, message: string, options: CommandErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.httpStatus = options.httpStatus;
    this.body = options.body;
    this.headers = options.headers;
  }
}

/** How every egress refusal's message begins (the server's connect hook writes it). */
export const EGRESS_REFUSAL = 'the egress policy refused a connection to ';

/**
 * The error a connection refused by the egress policy fails with. Clients wrap it (fetch's
 * "fetch failed", an SDK's own error) or overwrite its code (nodemailer's ESOCKET); core finds it
 * by name in the cause chain, or by its message, and answers EgressDenied (403).
 */
export class EgressDeniedError extends Error {
  override readonly name = 'EgressDeniedError';
  readonly code: string = ErrorCode.EgressDenied;
}

/** The refusal behind a failure, if the egress policy caused it: its message, from wherever it sits in the chain. */
export function egressRefusalOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth += 1) {
    if (current.name === 'EgressDeniedError') return current.message;
    const at = typeof current.message === 'string' ? current.message.indexOf(EGRESS_REFUSAL) : -1;
    if (at >= 0) return current.message.slice(at);
    // Happy eyeballs (autoSelectFamily) reports every address's failure in one AggregateError.
    if (current instanceof AggregateError) {
      for (const inner of current.errors) {
        const found = egressRefusalOf(inner);
        if (found !== undefined) return found;
      }
    }
    current = current.cause;
  }
  return undefined;
}

/** True for a {@link CommandError}, also one from another copy of this package. */
export function isCommandError(error: unknown): error is CommandError {
  return (
    error instanceof CommandError ||
    (error instanceof Error && error.name === 'CommandError' && 'code' in error && typeof error.code === 'string')
  );
}

/** A connector or registry that cannot be loaded; thrown at startup, never at request time. */
export class DefinitionError extends Error {
  override readonly name = 'DefinitionError';
}
