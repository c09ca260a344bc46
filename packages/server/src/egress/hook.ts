/**
 * Where the egress policy is enforced: every TCP connection a command opens, whatever library opens
 * it (node:http, https, fetch, nodemailer, pg, the AWS SDK), goes through `net.Socket#connect`. While
 * a command runs inside {@link EgressGuard.run}, that method resolves the host through a guarded
 * lookup and refuses an address the policy denies before any socket is connected to it. The proxy's
 * own connections (callbacks, Redis) run outside, so the policy applies to connectors only.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { promises as dns, type LookupAddress } from 'node:dns';
import net from 'node:net';
import type { Config } from '../config.js';
import { createEgressPolicy, type EgressPolicy } from './policy.js';

/** Resolves a host name to every address, as `dns.lookup(name, { all: true })` does. */
export type Resolver = (hostname: string, family: 0 | 4 | 6) => Promise<LookupAddress[]>;

/** Told of each connection the policy allowed (for tests: what was really connected to). */
export type ConnectObserver = (host: string, address: string) => void;

/** The code of the error a refused connection fails with; connectors see it as a network error. */
export const EGRESS_DENIED = 'EgressDenied';

interface Scope {
  policy: EgressPolicy;
  resolve: Resolver;
  observe: ConnectObserver | undefined;
  /** The first refusal of this run, for the command's answer. */
  denied: string | undefined;
  /** Refusals in this run, for the log and metrics. */
  refusals: number;
}

/** Runs commands under a policy. */
export interface EgressGuard {
  /** Runs `fn` (a command) with its connections checked; `denial()` tells the first refusal, if any. */
  run<T>(fn: (denial: () => string | undefined) => Promise<T>): Promise<T>;
}

/** Options of {@link createEgressGuard}: a resolver and an observer replace DNS and watch connects in tests. */
export interface EgressGuardOptions {
  resolve?: Resolver;
  observe?: ConnectObserver;
}

const scopes = new AsyncLocalStorage<Scope>();
let installed = false;

/** Creates the guard, installing the connect hook once per process. */
export function createEgressGuard(policy: EgressPolicy, options: EgressGuardOptions = {}): EgressGuard {
  installHook();
  const resolve = options.resolve ?? ((hostname, family) => dns.lookup(hostname, { all: true, family }));
  return {
    run(fn) {
      const scope: Scope = { policy, resolve, observe: options.observe, denied: undefined, refusals: 0 };
      return scopes.run(scope, () => fn(() => scope.denied));
    },
  };
}

/** The guard a configuration asks for; none for `open` without a deny list (nothing to check). */
export function createEgressFor(config: Pick<Config, 'egress'>): EgressGuard | undefined {
  const { egress } = config;
  if (egress.preset === 'open' && egress.deny.length === 0) return undefined;
  return createEgressGuard(createEgressPolicy(egress));
}

/** The error a refused connection fails with: names the host and the rule, and only the refused address. */
export class EgressDeniedError extends Error {
  override readonly name = 'EgressDeniedError';
  readonly code = EGRESS_DENIED;
}

function installHook(): void {
  if (installed) return;
  installed = true;
  const original = net.Socket.prototype.connect;
  // biome-ignore lint/suspicious/noExplicitAny: net.Socket#connect's overloads take positional or option arguments.
  const normalize = (net as any)._normalizeArgs as (args: unknown[]) => [net.NetConnectOpts, (() => void) | null];
  // biome-ignore lint/suspicious/noExplicitAny: the same overloads as the original.
  net.Socket.prototype.connect = function connect(this: net.Socket, ...args: any[]) {
    const scope = scopes.getStore();
    if (!scope) return original.apply(this, args as Parameters<typeof original>);
    // net.connect hands over its arguments already normalized, as a marked [options, callback] array.
    const [options, callback] = Array.isArray(args[0])
      ? (args[0] as [net.NetConnectOpts, (() => void) | null])
      : normalize(args);
    if ('path' in options && typeof options.path === 'string') {
      return refuse(this, scope, `a local socket ${options.path}`, 'local (unix) sockets are not network egress');
    }
    const tcp = options as net.TcpNetConnectOpts;
    const host = tcp.host ?? 'localhost';
    const literal = toLiteralAddress(host);
    if (literal !== undefined) {
      const decision = scope.policy.check(literal, literal);
      if (!decision.allowed) return refuse(this, scope, host, decision.rule);
      scope.observe?.(host, literal);
      const direct = { ...tcp, host: literal };
      return Reflect.apply(original, this, callback ? [direct, callback] : [direct]) as net.Socket;
    }
    const guarded: net.TcpNetConnectOpts = { ...tcp, lookup: guardedLookup(scope, host) };
    return Reflect.apply(original, this, callback ? [guarded, callback] : [guarded]) as net.Socket;
  } as typeof original;
}

/**
 * The address a host spells, if it is one: `[::1]`, and every IPv4 spelling a resolver would read as
 * an address (`2130706433`, `0x7f000001`, `0177.0.0.1`, `127.1`), normalized as the URL standard does.
 */
function toLiteralAddress(host: string): string | undefined {
  const bare = host.replace(/^\[|\]$/g, '');
  if (net.isIP(bare)) return bare;
  if (!/^[0-9a-fA-Fx.]+$/.test(bare)) return undefined;
  try {
    const normalized = new URL(`http://${bare}/`).hostname;
    return net.isIPv4(normalized) ? normalized : undefined;
  } catch {
    return undefined;
  }
}

function refuse(socket: net.Socket, scope: Scope, host: string, rule: string): net.Socket {
  const error = new EgressDeniedError(denialMessage(host, rule));
  scope.denied ??= error.message;
  scope.refusals += 1;
  process.nextTick(() => socket.destroy(error));
  return socket;
}

function denialMessage(host: string, rule: string): string {
  return `the egress policy refused a connection to ${host}: ${rule}`;
}

/** A `lookup` for net.connect that resolves, drops denied addresses and fails when none is left. */
function guardedLookup(scope: Scope, host: string): net.LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === 4 || options.family === 6 ? options.family : 0;
    scope.resolve(hostname, family).then(
      (addresses) => {
        const allowed: LookupAddress[] = [];
        let refused: { address: string; rule: string } | undefined;
        for (const entry of addresses) {
          const decision = scope.policy.check(hostname, entry.address);
          if (decision.allowed) allowed.push(entry);
          else refused ??= { address: entry.address, rule: decision.rule };
        }
        const first = allowed[0];
        if (first === undefined) {
          const shown = refused ? `${host} (${refused.address})` : host;
          const error = new EgressDeniedError(denialMessage(shown, refused?.rule ?? 'it resolved to no address'));
          scope.denied ??= error.message;
          scope.refusals += 1;
          callback(error, '', 0);
          return;
        }
        for (const entry of allowed) scope.observe?.(hostname, entry.address);
        if (options.all) callback(null, allowed);
        else callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
}
