/**
 * Where the egress policy is enforced: every TCP connection the proxy process opens, whatever
 * library opens it (node:http, https, fetch, nodemailer, pg, the AWS SDK), goes through
 * `net.Socket#connect`. That method resolves the host through a guarded lookup and refuses an
 * address the policy denies before any socket is connected to it. The proxy's own connections
 * (callbacks to SpiffArena, Redis) are opened inside {@link EgressGuard.exempt}, so the policy
 * applies to connectors only.
 *
 * The policy is the process's, not a request's: telling a command's connections apart with an
 * AsyncLocalStorage scope turns on promise hooks for every promise of the process, which cost about
 * a sixth of the CPU of each request (bench/README.md). Exempting the few connections the proxy
 * opens itself, at the synchronous call that opens them, costs nothing per request.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { promises as dns, type LookupAddress } from 'node:dns';
import net from 'node:net';
import { EGRESS_REFUSAL, EgressDeniedError, ErrorCode } from '@connector-proxy/core';
import type { Config } from '../config.js';
import { createEgressPolicy, type EgressPolicy } from './policy.js';

export { EgressDeniedError };

/** Resolves a host name to every address, as `dns.lookup(name, { all: true })` does. */
export type Resolver = (hostname: string, family: 0 | 4 | 6) => Promise<LookupAddress[]>;

/** Told of each connection the policy allowed (for tests: what was really connected to). */
export type ConnectObserver = (host: string, address: string) => void;

/** The code of the error a refused connection fails with; connectors see it as a network error. */
export const EGRESS_DENIED = ErrorCode.EgressDenied;

interface Enforced {
  policy: EgressPolicy;
  resolve: Resolver;
  observe: ConnectObserver | undefined;
}

/** The process's egress policy, once installed. */
export interface EgressGuard {
  /**
   * Opens one of the proxy's own connections past the policy: a socket that `open` connects
   * synchronously (an http.Agent's createConnection, ioredis' connector) is not checked.
   */
  exempt<T>(open: () => T): T;
}

/** Options of {@link createEgressGuard}: a resolver and an observer replace DNS and watch connects in tests. */
export interface EgressGuardOptions {
  resolve?: Resolver;
  observe?: ConnectObserver;
}

/** The policy every connection of this process meets; undefined: none. */
let enforced: Enforced | undefined;
/** How many exempt opens are on the stack right now (they may nest). */
let exempting = 0;
let installed = false;
/**
 * Work a connector runs outside the policy ({@link outsideEgress}), and how much of it is under
 * way: the scope is enabled only while some is, so promise hooks cost nothing the rest of the time.
 */
const outside = new AsyncLocalStorage<true>();
let outsideRunning = 0;

/**
 * Runs a connector's own work (its credential chain, say) outside the egress policy: every
 * connection it opens, now or later in its async continuations, is not checked. Core hands it to
 * each connector's `setup` as `host.outsideEgress`.
 */
export function outsideEgress<T>(work: () => Promise<T>): Promise<T> {
  outsideRunning += 1;
  const settle = () => {
    outsideRunning -= 1;
    if (outsideRunning === 0) outside.disable();
  };
  let running: Promise<T>;
  try {
    running = outside.run(true, work);
  } catch (error) {
    settle();
    throw error;
  }
  return Promise.resolve(running).finally(settle);
}

const GUARD: EgressGuard = {
  exempt(open) {
    exempting += 1;
    try {
      return open();
    } finally {
      exempting -= 1;
    }
  },
};

/**
 * Makes `policy` the process's egress policy (replacing an earlier one: there is one per process),
 * installing the connect hook once.
 */
export function createEgressGuard(policy: EgressPolicy, options: EgressGuardOptions = {}): EgressGuard {
  installHook();
  const resolve = options.resolve ?? ((hostname, family) => dns.lookup(hostname, { all: true, family }));
  enforced = { policy, resolve, observe: options.observe };
  return GUARD;
}

/**
 * The guard a configuration asks for; none for `open` without a deny list (nothing to check), which
 * also lifts a policy installed earlier in this process.
 */
export function createEgressFor(config: Pick<Config, 'egress'>): EgressGuard | undefined {
  const { egress } = config;
  if (egress.preset === 'open' && egress.deny.length === 0) {
    enforced = undefined;
    return undefined;
  }
  return createEgressGuard(createEgressPolicy(egress));
}

function installHook(): void {
  if (installed) return;
  installed = true;
  const original = net.Socket.prototype.connect;
  // biome-ignore lint/suspicious/noExplicitAny: net.Socket#connect's overloads take positional or option arguments.
  const normalize = (net as any)._normalizeArgs as (args: unknown[]) => [net.NetConnectOpts, (() => void) | null];
  // biome-ignore lint/suspicious/noExplicitAny: the same overloads as the original.
  net.Socket.prototype.connect = function connect(this: net.Socket, ...args: any[]) {
    const scope = enforced;
    if (scope === undefined || exempting > 0 || (outsideRunning > 0 && outside.getStore() === true)) {
      return original.apply(this, args as Parameters<typeof original>);
    }
    // net.connect hands over its arguments already normalized, as a marked [options, callback] array.
    const [options, callback] = Array.isArray(args[0])
      ? (args[0] as [net.NetConnectOpts, (() => void) | null])
      : normalize(args);
    if ('path' in options && typeof options.path === 'string') {
      return refuse(this, `a local socket ${options.path}`, 'local (unix) sockets are not network egress');
    }
    const tcp = options as net.TcpNetConnectOpts;
    const host = tcp.host ?? 'localhost';
    const literal = toLiteralAddress(host);
    if (literal !== undefined) {
      const decision = scope.policy.check(literal, literal);
      if (!decision.allowed) return refuse(this, host, decision.rule);
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

function refuse(socket: net.Socket, host: string, rule: string): net.Socket {
  const error = new EgressDeniedError(denialMessage(host, rule));
  process.nextTick(() => socket.destroy(error));
  return socket;
}

function denialMessage(host: string, rule: string): string {
  return `${EGRESS_REFUSAL}${host}: ${rule}`;
}

/** A `lookup` for net.connect that resolves, drops denied addresses and fails when none is left. */
function guardedLookup(scope: Enforced, host: string): net.LookupFunction {
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
