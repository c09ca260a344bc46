import { CommandError, defineCommand, ErrorCode, param } from '@connector-proxy/core';
import { randomUpTo } from '../random.js';

/** SpiffArena's `rand/Number`: `{"number": n}` with 1 <= n <= max, from a CSPRNG. */
export const RandomNumber = defineCommand({
  description: 'Pick a random whole number from 1 to max, both included.',
  params: {
    max: param.int('The largest number that may come out (at least 1)'),
  },
  idempotent: true,
  result: {
    description: 'A whole number from 1 to max, both included.',
    schema: {
      type: 'object',
      required: ['number'],
      properties: { number: { type: 'integer', minimum: 1 } },
      additionalProperties: false,
    },
  },
  run({ max }) {
    if (max < 1) {
      throw new CommandError(ErrorCode.InvalidParameters, `invalid parameters: max must be at least 1, got ${max}`, {
        httpStatus: 400,
      });
    }
    return { body: { number: Number(randomUpTo(BigInt(max))) }, mimetype: 'application/json', httpStatus: 200 };
  },
});
