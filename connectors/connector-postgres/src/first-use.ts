/**
 * node-postgres and pg-cursor cost about 15 MB and a tenth of the start-up, and a proxy that
 * never runs a postgres command needs neither: each is found when the connector loads (so an
 * install without it still fails at start-up, naming it) and loaded when a command first needs it.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A CommonJS package, resolved now and loaded on the first call. With require, not import(): on
 * Node 20 a CommonJS module that throws while it loads through import() is also an uncaught
 * exception, even when the import's rejection is handled (nodejs/node#51603); through require the
 * throw stays the command's failure.
 */
export function onFirstUse<T>(specifier: string): () => T {
  const path = require.resolve(specifier);
  let loaded: T | undefined;
  return () => {
    loaded ??= require(path) as T;
    return loaded;
  };
}
