import { kindOf, type Param, param } from '@connector-proxy/core';

/**
 * A parameter listed as `str`, as the Python connector lists `email_to`, that also takes a list
 * of texts (`["a@example.com", "b@example.com"]`), which a diagram often has at hand. Core's
 * `param.str` refuses lists and `param.any` would be listed as `any`, breaking saved diagrams'
 * parameter types, so this one is a `param.custom`. `run` narrows it with `readAddresses`.
 */
export function strOrList(description: string): Param<string | unknown[]> {
  return param.custom<string | unknown[]>(
    'str',
    (value) =>
      typeof value === 'string' || Array.isArray(value)
        ? { ok: true, value }
        : { ok: false, problem: `must be a text or a list of texts, got ${kindOf(value)}` },
    description,
  );
}
