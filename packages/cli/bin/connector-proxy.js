#!/usr/bin/env node
// The `connector-proxy` bin. Installed from npm it runs the build in dist/. In a checkout of
// this repository (run from the clone, or linked with `file:` into a connector package) it runs
// the TypeScript sources through tsx, so no build is needed and none can be stale; a production
// install of the checkout (npm ci --omit=dev, after npm run build) has no tsx and runs dist/.
import { existsSync, realpathSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = realpathSync(fileURLToPath(new URL('..', import.meta.url)));
const sources = new URL('../src/bin.ts', import.meta.url);
const built = new URL('../dist/bin.js', import.meta.url);
const inCheckout = !packageDir.split(sep).includes('node_modules') && existsSync(sources);
const tsx = inCheckout ? await import('tsx/esm/api').catch(() => undefined) : undefined;

if (tsx) {
  // What `node --conditions=development` does: our packages resolve to src/ (see their exports),
  // for the CLI and for the connectors it loads alike, so every module sees one copy of core.
  register(
    'data:text/javascript,export function resolve(specifier, context, next) { return next(specifier, { ...context, conditions: [...context.conditions, "development"] }); }',
  );
  tsx.register();
  await import(sources.href);
} else if (existsSync(built)) {
  await import(built.href);
} else {
  const checkout = dirname(dirname(packageDir));
  process.stderr.write(`connector-proxy: runs from the checkout in ${checkout}; run npm install there first\n`);
  process.exitCode = 1;
}
