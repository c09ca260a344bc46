import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Client libraries a proxy loads only when a command (or the Redis store) first needs them. Each
 * costs start-up time and resident memory, and most deployments never use some of them.
 */
const LOADED_ON_FIRST_USE = [
  'bullmq',
  'ioredis',
  'pg',
  'pg-cursor',
  'nodemailer/lib/smtp-connection',
  'nodemailer/lib/mail-composer',
];

function withoutProxySettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('CONNECTOR_PROXY_')));
}

/**
 * Starts the built CLI as `npm start` does (every bundled connector), asks for the listing, stops
 * it, and returns the CommonJS modules it had loaded (ESM imports of CommonJS packages land in the
 * same cache), as paths below node_modules.
 */
async function modulesLoadedByServe(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'start-up-'));
  try {
    const preload = join(dir, 'preload.cjs');
    const out = join(dir, 'loaded.json');
    writeFileSync(
      preload,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(Object.keys(require.cache))));\n`,
    );
    const child = spawn(
      process.execPath,
      ['--require', preload, join(repo, 'packages/cli/dist/bin.js'), 'serve', '--port', '0'],
      {
        cwd: repo,
        env: {
          ...withoutProxySettings(process.env),
          CONNECTOR_PROXY_HOST: '127.0.0.1',
          // Long-running commands on (the file store), as a deployment with callbacks has them.
          CONNECTOR_PROXY_CALLBACK_ORIGINS: 'http://127.0.0.1:1',
          CONNECTOR_PROXY_CALLBACK_API_KEY: 'start-up-test',
          CONNECTOR_PROXY_DATA_DIR: join(dir, 'jobs'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not listen within 20 s:\n${output}`)), 20_000);
      child.stdout.on('data', (chunk) => {
        output += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolveUrl(match[1]);
        }
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
    });
    const listing = await fetch(`${url}/v1/commands`);
    assert.equal(listing.status, 200);
    await listing.arrayBuffer();
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
    const paths: string[] = JSON.parse(readFileSync(out, 'utf8'));
    return paths.flatMap((path) => {
      const at = path.lastIndexOf('/node_modules/');
      return at === -1 ? [] : [path.slice(at + '/node_modules/'.length)];
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('serving every bundled connector loads no client library before a command needs it', async () => {
  const loaded = await modulesLoadedByServe();
  // The check can see what serve loads: the log writer is CommonJS and always loaded.
  assert.ok(
    loaded.some((path) => path.startsWith('sonic-boom/')),
    `sonic-boom not among the loaded modules: ${loaded.join(', ')}`,
  );
  for (const library of LOADED_ON_FIRST_USE) {
    const found = loaded.filter((path) => path.startsWith(`${library}/`));
    assert.deepEqual(found, [], `${library} is loaded at start-up`);
  }
});
