/**
 * The OpenAPI 3.1 document of a registry, generated from the commands' declarations: one operation
 * per command with its request body (parameters plus the `spiff__` fields), the version-2 envelope
 * as response with the declared result shape and error codes, the listing and liveness routes, and
 * the API key as a security scheme. Schema names follow SpiffArena's protocol document.
 */
import { describeErrors } from './describe.js';
import { API_KEY_HEADER, RequestKey } from './protocol.js';
import type { Registry } from './registry.js';

/** Options of {@link toOpenApi}. */
export interface OpenApiOptions {
  title?: string;
  version?: string;
  /** When true, the `/v1/*` routes (not liveness) require the API key header. */
  apiKey?: boolean;
}

const COMPONENTS = {
  ConnectorProxyResponseV2: {
    type: 'object',
    required: ['command_response', 'command_response_version', 'error', 'spiff__logs'],
    properties: {
      command_response: { $ref: '#/components/schemas/ConnectorCommandResponse' },
      command_response_version: { const: 2 },
      error: { oneOf: [{ type: 'null' }, { $ref: '#/components/schemas/ConnectorCommandError' }] },
      spiff__logs: { type: 'array', items: { type: 'string' } },
    },
  },
  ConnectorCommandResponse: {
    type: 'object',
    properties: {
      body: {},
      mimetype: { type: 'string' },
      http_status: { type: 'integer', minimum: 100, maximum: 599 },
      headers: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
  ConnectorCommandError: {
    type: 'object',
    required: ['error_code', 'message'],
    properties: { error_code: { type: 'string' }, message: { type: 'string' } },
  },
  CommandListing: {
    type: 'array',
    items: {
      type: 'object',
      required: ['id', 'parameters'],
      properties: {
        id: { type: 'string', pattern: '^[^/]+/[^/]+$' },
        parameters: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'type', 'required'],
            properties: {
              id: { type: 'string' },
              type: { enum: ['str', 'int', 'bool', 'any'] },
              required: { type: 'boolean' },
            },
          },
        },
      },
    },
  },
  Unauthorized: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
  Liveness: { type: 'object', required: ['ok'], properties: { ok: { const: true } } },
} as const;

const RESERVED_PROPERTIES = {
  [RequestKey.taskData]: { type: 'object', description: "The task's data, handed to the command." },
  [RequestKey.callbackUrl]: { type: 'string', description: 'Where a long-running command PUTs its result.' },
  [RequestKey.processInstanceId]: { type: ['string', 'integer'] },
  [RequestKey.processModelIdentifier]: { type: 'string' },
  [RequestKey.taskId]: { type: 'string' },
};

const envelopeRef = { $ref: '#/components/schemas/ConnectorProxyResponseV2' };
const jsonOf = (schema: unknown) => ({ 'application/json': { schema } });

/** Builds the document; the same registry always gives the same document. */
export function toOpenApi(registry: Registry, options: OpenApiOptions = {}): Record<string, unknown> {
  const secured = options.apiKey ? { security: [{ ApiKey: [] }] } : {};
  const unauthorized = options.apiKey
    ? {
        401: {
          description: 'Missing or wrong API key',
          content: jsonOf({ $ref: '#/components/schemas/Unauthorized' }),
        },
      }
    : {};
  const paths: Record<string, unknown> = {
    '/liveness': { get: liveness('liveness') },
    '/v1/liveness': { get: liveness('v1Liveness') },
    '/v1/commands': {
      get: {
        operationId: 'listCommands',
        summary: 'The commands this proxy runs',
        parameters: [{ name: 'detailed', in: 'query', required: false, schema: { type: 'boolean' } }],
        ...secured,
        responses: {
          200: { description: 'The listing', content: jsonOf({ $ref: '#/components/schemas/CommandListing' }) },
          ...unauthorized,
        },
      },
    },
    '/v1/auths': {
      get: {
        operationId: 'listAuths',
        summary: 'OAuth apps (same shape as the listing)',
        ...secured,
        responses: {
          200: { description: 'The auths', content: jsonOf({ $ref: '#/components/schemas/CommandListing' }) },
          ...unauthorized,
        },
      },
    },
  };
  for (const target of registry.entries()) {
    const { command } = target;
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    for (const [id, p] of Object.entries(command.params)) {
      // The declaration's own schema: type, shape, description, a JSON-safe default, enum, bounds.
      const schema: Record<string, unknown> = { ...p.schema };
      if (p.isSecret) schema.writeOnly = true;
      properties[id] = schema;
      if (p.required) required.push(id);
    }
    const errors = describeErrors(command);
    const resultSchema = command.result?.schema;
    const success = resultSchema
      ? { allOf: [envelopeRef, { properties: { command_response: { properties: { body: resultSchema } } } }] }
      : envelopeRef;
    const errorCodes = errors.map((e) => `- \`${e.code}\`: ${e.description}`).join('\n');
    paths[`/v1/do/${target.connector}/${target.name}`] = {
      post: {
        operationId: `${target.connector}_${target.name}`.replace(/[^A-Za-z0-9_]/g, '_'),
        tags: [target.connector],
        summary: command.description ?? target.id,
        description: `Error codes (\`error.error_code\`):\n${errorCodes}`,
        ...secured,
        'x-error-codes': errors,
        ...(command.longRunning ? { 'x-long-running': true } : {}),
        requestBody: {
          required: true,
          content: jsonOf({ type: 'object', properties: { ...properties, ...RESERVED_PROPERTIES }, required }),
        },
        responses: {
          200: {
            description: command.result?.description ?? 'The command ran; see error for its outcome',
            content: jsonOf(success),
          },
          ...(command.longRunning
            ? { 202: { description: 'Accepted: the result goes to spiff__callback_url', content: jsonOf(envelopeRef) } }
            : {}),
          400: { description: 'InvalidRequest or InvalidParameters', content: jsonOf(envelopeRef) },
          ...unauthorized,
          404: { description: 'command_not_found', content: jsonOf(envelopeRef) },
          413: { description: 'The body is too large', content: jsonOf(envelopeRef) },
          500: { description: 'The command crashed', content: jsonOf(envelopeRef) },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: options.title ?? 'SpiffArena connector proxy', version: options.version ?? '0.1.0' },
    paths,
    components: {
      schemas: COMPONENTS,
      ...(options.apiKey
        ? { securitySchemes: { ApiKey: { type: 'apiKey', in: 'header', name: API_KEY_HEADER } } }
        : {}),
    },
  };
}

function liveness(operationId: string) {
  return {
    operationId,
    summary: 'Health check (never needs the API key)',
    responses: { 200: { description: 'Alive', content: jsonOf({ $ref: '#/components/schemas/Liveness' }) } },
  };
}
