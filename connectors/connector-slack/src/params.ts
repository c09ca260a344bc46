import { type Coerced, param, parseJson, shape } from '@connector-proxy/core';

const HEADER_SAFE = /^[!-~]+$/;

/** The token: a secret that goes into a header, so no space, line break or other control character. */
export const token = param
  .str('Slack token (xoxb-… bot token or xoxp-… user token)')
  .secret()
  .refine(
    (value): Coerced<string> =>
      HEADER_SAFE.test(value)
        ? { ok: true, value }
        : { ok: false, problem: 'must be printable text without spaces or line breaks' },
  );

const BLOCK_LIST = shape.array(
  shape.object({ type: shape.str() }, { additional: true, expected: 'a block object such as {"type": "section", …}' }),
);

/** Block Kit blocks: a list of objects with a `type`, or the JSON text of one (as Block Kit Builder gives it). */
export const blocks = param
  .union([BLOCK_LIST, shape.str()], { expected: 'a list of block objects or its JSON text' })
  .refine((value): Coerced<unknown[]> => {
    if (typeof value !== 'string') return { ok: true, value };
    const parsed = parseJson(value);
    if (!parsed.ok)
      return { ok: false, problem: 'is text but not JSON: give a list of block objects or its JSON text' };
    const checked = BLOCK_LIST.check(parsed.value);
    return checked.ok ? checked : { ok: false, problem: `is JSON text whose value ${checked.problem}` };
  })
  .describe('Block Kit blocks: a list of block objects, or the JSON text of one')
  .optional();
