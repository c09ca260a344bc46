import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './fixtures.js';

/** A proxy started as its own process with `connector-proxy serve`. */
export interface ProxyProcess {
  url: string;
  pid: number;
  output(): string;
  /** SIGKILL: no shutdown code runs, as when the machine or the OOM killer stops it. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `connector-proxy serve --port 0` in `cwd` with `env` added, and waits for its URL. */
export async function startProxyProcess(cwd: string, env: Record<string, string>): Promise<ProxyProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(REPO, 'packages/cli/bin/connector-proxy.js'), 'serve', '--port', '0'],
    {
      cwd,
      env: { ...process.env, CONNECTOR_PROXY_LOG_FORMAT: 'off', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 30 s: ${output}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
    child.stdout?.on('data', () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  const stopWith = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url,
    pid: child.pid ?? 0,
    output: () => output,
    kill9: () => stopWith('SIGKILL'),
    stop: () => stopWith('SIGTERM'),
  };
}
