/**
 * A client library a connector needs only for some commands, found when the connector loads (so an
 * install without it still stops start-up, naming it) and loaded when a command first needs it,
 * so that a proxy which never runs such a command pays neither its start-up time nor its memory.
 */

/** What `createRequire(import.meta.url)` gives a module: enough of Node's require to find and load a package. */
export interface ModuleRequire {
  (id: string): unknown;
  resolve(id: string): string;
}

/**
 * A CommonJS package, resolved now through `require` (the connector's own, from node:module's
 * `createRequire(import.meta.url)`) and loaded on the first call; later calls return the same module.
 * With require, not import(): on Node 20 a CommonJS module that throws while it loads through
 * import() is also an uncaught exception, even when the import's rejection is handled
 * (nodejs/node#51603); through require the throw stays the failure of the command that asked.
 */
export function onFirstUse<T>(require: ModuleRequire, specifier: string): () => T {
  const path = require.resolve(specifier);
  let loaded: T | undefined;
  return () => {
    loaded ??= require(path) as T;
    return loaded;
  };
}
