import { type Invocation, type InvokeOptions, invoke } from '@connector-proxy/core';

/** Runs a command under the proxy's egress policy (the server's EgressGuard has this shape). */
export interface CommandGuard {
  run<T>(fn: (denial: () => string | undefined) => Promise<T>): Promise<T>;
}

/** `invoke`, under the guard when there is one, so background runs meet the same egress policy. */
export function guardedInvoke(
  guard: CommandGuard | undefined,
  target: Parameters<typeof invoke>[0],
  body: unknown,
  options: InvokeOptions,
): Promise<Invocation> {
  if (!guard) return invoke(target, body, options);
  return guard.run((denial) => invoke(target, body, { ...options, denial }));
}
