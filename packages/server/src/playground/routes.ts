import type { Hono } from 'hono';
import { PLAYGROUND_OUTPUT_SCRIPT } from './output.js';
import { PLAYGROUND_HTML } from './page.js';
import { PLAYGROUND_SCRIPT } from './script.js';
import { PLAYGROUND_CSS } from './style.js';

/** The page may load only its own script and style and talk only to this proxy. */
export const PLAYGROUND_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

/** The paths the playground answers on (GET and HEAD). */
export const PLAYGROUND_PATHS = ['/playground', '/playground.js', '/playground.css'] as const;

const FILES: Record<(typeof PLAYGROUND_PATHS)[number], { type: string; body: string }> = {
  '/playground': { type: 'text/html; charset=utf-8', body: PLAYGROUND_HTML },
  '/playground.js': {
    type: 'text/javascript; charset=utf-8',
    body: `${PLAYGROUND_SCRIPT}\n${PLAYGROUND_OUTPUT_SCRIPT}`,
  },
  '/playground.css': { type: 'text/css; charset=utf-8', body: PLAYGROUND_CSS },
};

/**
 * Serves the browser playground: static text holding no data, so it is open even when an API key
 * is set; the page asks for the key when the listing answers 401.
 */
export function servePlayground(app: Hono): void {
  for (const path of PLAYGROUND_PATHS) {
    const file = FILES[path];
    app.get(path, (c) =>
      c.body(file.body, 200, {
        'Content-Type': file.type,
        'Content-Security-Policy': PLAYGROUND_CSP,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-cache',
      }),
    );
  }
}
