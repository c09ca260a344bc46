import type { ResultDeclaration } from '@connector-proxy/core';

/** What every http command answers with on success (the body as SpiffArena's diagrams read it). */
export const HTTP_RESULT: ResultDeclaration = {
  description:
    'The upstream answer: its JSON, its XML turned into JSON as xmltodict does, or {"raw_response": text}; http_status is the upstream status',
  schema: {
    anyOf: [
      { description: 'the parsed JSON or XML answer' },
      {
        type: 'object',
        required: ['raw_response'],
        properties: { raw_response: { type: 'string' } },
        description: 'an answer that is neither JSON nor XML',
      },
    ],
  },
};

/** The error codes every http command may answer with (see the README's table). */
export const HTTP_ERRORS: Readonly<Record<string, string>> = {
  HttpError400: 'The upstream answered 400; every status of 400 or more gives HttpError<status> (HttpError404 ...).',
  HttpError401: 'The upstream refused the credentials (401).',
  HttpError403: 'The upstream refused access (403).',
  HttpError404: 'The upstream has no such resource (404).',
  HttpError429: 'The upstream asked to slow down (429); retrying later may help.',
  HttpError500: 'The upstream failed (500); 5xx statuses give HttpError<status> and may be retried.',
  HttpError503: 'The upstream is unavailable (503).',
  JSONDecodeError: 'The Content-Type says JSON but the body is not JSON; the body is {"raw_response": text}.',
  ExpatError: 'The Content-Type says XML but the body is not well-formed XML.',
  ConnectionError: 'Refused, reset, DNS or TLS failure, or a redirect to a URL that is not http(s) (http_status 502).',
  TooManyRedirects: 'More than 30 redirects (http_status 502).',
  ResponseTooLarge: 'The answer is larger than CONNECTOR_HTTP_MAX_RESPONSE_BYTES (http_status 502).',
  EgressDenied: "The proxy's egress policy refused the connection (http_status 403).",
};
