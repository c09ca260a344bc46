/**
 * An ioredis connector that opens its socket through `exempt`, so the proxy's Redis connections
 * (and BullMQ's duplicates of them, which keep the option) are not checked by the egress policy.
 * It connects as ioredis' own StandaloneConnector does: TCP or TLS to host and port, or a path.
 */
import net from 'node:net';
import tls from 'node:tls';
import { AbstractConnector, type RedisOptions } from 'ioredis';
import type { Exempt } from './exempt.js';

type Options = RedisOptions & { path?: string; tls?: tls.ConnectionOptions };
type ConnectorClass = NonNullable<RedisOptions['Connector']>;

/** A connector class for ioredis' `Connector` option. */
export function exemptConnector(exempt: Exempt): ConnectorClass {
  return class ExemptConnector extends AbstractConnector {
    readonly #options: Options;

    constructor(options: Options) {
      super(options.disconnectTimeout ?? 2_000);
      this.#options = options;
    }

    connect(): ReturnType<AbstractConnector['connect']> {
      const options = this.#options;
      this.connecting = true;
      const where: net.NetConnectOpts = options.path
        ? { path: options.path }
        : {
            ...(options.port != null ? { port: options.port } : { port: 6379 }),
            ...(options.host != null ? { host: options.host } : {}),
            ...(options.family != null ? { family: options.family } : {}),
          };
      // As ioredis does: on the next tick, so a disconnect() right after connect() still wins.
      return new Promise((resolve, reject) => {
        process.nextTick(() => {
          if (!this.connecting) {
            reject(new Error('Connection is closed.'));
            return;
          }
          try {
            this.stream = exempt(() =>
              options.tls
                ? tls.connect({ ...where, ...options.tls } as tls.ConnectionOptions)
                : net.createConnection(where),
            );
          } catch (error) {
            reject(error);
            return;
          }
          this.stream.once('error', (error: Error) => {
            this.firstError = error;
          });
          resolve(this.stream);
        });
      });
    }
  } as unknown as ConnectorClass;
}
