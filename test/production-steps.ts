/**
 * How a checkout becomes a production install, in one place: the production-install test runs
 * these, and the Dockerfile's steps must be the same (checked by dockerfile.test.ts), because no
 * Docker engine runs in CI to build the image itself.
 */

/** Run in the checkout, in order: install everything, compile, then keep only what serving needs. */
export const BUILD_STEPS = ['npm ci --no-audit --no-fund', 'npm run build', 'npm ci --omit=dev --no-audit --no-fund'];

/** What the runtime needs from the build, relative to the checkout: the image copies exactly these. */
export const RUNTIME_PATHS = ['package.json', 'node_modules', 'packages', 'connectors'];

/** Serves every bundled connector from a production install (the image's CMD, and `npm run serve`). */
export const SERVE_COMMAND = ['node', 'packages/cli/dist/bin.js', 'serve'];
