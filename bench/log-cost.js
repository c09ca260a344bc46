// The request log's own cost per line, without HTTP around it: CPU time of formatting and writing
// one line per turn of the event loop (as one request per turn would) with process.stdout.write
// against the proxy's buffered writer, beside the same loop that only formats; each in a child
// process whose stdout is a pipe that the parent drains, as a log collector does.
// Usage: node bench/log-cost.js [LINES] [--inherit]   (needs the server package built: npm run build)
// --inherit: the children write to this process's stdout instead (a terminal, a file), and the
// figures go to stderr.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY = { method: 'POST', path: '/v1/do/example/Example', status: 200, ms: 0.4, command: 'example/Example' };

if (process.argv[2] === '--child') {
  const [, , , writerName, format, lines] = process.argv;
  const { createLogWriter, formatLogEntry } = await import('@connector-proxy/server/node');
  const writer = writerName === 'buffered' ? createLogWriter() : undefined;
  /** @type {string[]} */
  const kept = [];
  /** @type {(line: string) => void} */
  const write =
    writerName === 'buffered'
      ? (line) => writer?.write(line)
      : writerName === 'stdout'
        ? (line) => process.stdout.write(`${line}\n`)
        : (line) => {
            kept[0] = line;
          };
  // One line per turn of the event loop; entries vary a little, as real ones do.
  const run = (/** @type {number} */ count) =>
    new Promise((resolve) => {
      let i = 0;
      const next = () => {
        if (i === count) return resolve(undefined);
        write(formatLogEntry({ ...ENTRY, ms: (i % 50) / 10 }, /** @type {any} */ (format)));
        i += 1;
        setImmediate(next);
      };
      next();
    });
  await run(10_000);
  writer?.flushSync();
  const before = process.cpuUsage();
  await run(Number(lines));
  writer?.close();
  const used = process.cpuUsage(before);
  process.send?.({ micros: (used.user + used.system) / Number(lines) });
} else {
  const inherit = process.argv.includes('--inherit');
  const lines = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 100_000);
  const script = fileURLToPath(import.meta.url);
  const print = inherit ? console.error : console.log;
  print(
    `request log: CPU per line over ${lines} lines, one a turn of the event loop, stdout ${inherit ? 'inherited' : 'a drained pipe'}:`,
  );
  for (const format of ['text', 'json']) {
    /** @type {Record<string, number>} */
    const cost = {};
    for (const writer of ['none', 'stdout', 'buffered']) {
      cost[writer] = await new Promise((resolve, reject) => {
        const child = fork(script, ['--child', writer, format, String(lines)], {
          stdio: ['ignore', inherit ? 'inherit' : 'pipe', 'inherit', 'ipc'],
        });
        child.stdout?.resume();
        child.once('message', (/** @type {any} */ m) => resolve(Number(m.micros)));
        child.once('exit', (code) => code !== 0 && reject(new Error(`exit ${code}`)));
      });
    }
    const none = cost.none ?? 0;
    const added = (/** @type {string} */ w) => ((cost[w] ?? 0) - none).toFixed(2);
    print(
      `  ${format}: the loop that only formats ${none.toFixed(2)} us a line; writing adds ` +
        `${added('stdout')} us with process.stdout.write, ${added('buffered')} us with the buffered writer`,
    );
  }
}
