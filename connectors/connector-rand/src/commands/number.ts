import { defineCommand, ExactNumber, param } from '@connector-proxy/core';
import { randomUpTo } from '../random.js';

/** SpiffArena's `rand/Number`: `{"number": n}` with 1 <= n <= max, from a CSPRNG. */
export const RandomNumber = defineCommand({
  description: 'Pick a random whole number from 1 to max, both included.',
  params: {
    // Listed as `int`; any size, as Python's random.randint takes any int.
    max: param.bigint('The largest number that may come out (at least 1)').min(1),
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
    const drawn = randomUpTo(max);
    // Beyond 2^53 a double would round it: the answer carries its exact digits.
    const number = drawn <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(drawn) : new ExactNumber(drawn.toString());
    return { body: { number }, mimetype: 'application/json', httpStatus: 200 };
  },
});
