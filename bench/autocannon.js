// The fallback load generator when wrk is absent: autocannon in its own process, so that it never
// shares a process (or an event loop) with the bench. Usage: node bench/autocannon.js '<LoadSpec JSON>'
// Prints a LoadResult as JSON on its last line.
// @ts-expect-error autocannon ships no type declarations
import autocannon from 'autocannon';

const spec = JSON.parse(process.argv[2] ?? '{}');
let unexpected = 0;
const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  pipelining: 1,
  duration: spec.duration,
  requests: [
    {
      method: spec.method,
      ...(spec.body ? { body: spec.body, headers: { 'content-type': 'application/json' } } : {}),
      onResponse: (/** @type {number} */ status, /** @type {string} */ body) => {
        if (status !== 200 || (spec.expect && !String(body).includes(spec.expect))) unexpected += 1;
      },
    },
  ],
});
const seconds = result.duration;
process.stdout.write(
  `${JSON.stringify({
    requests: result.requests.total,
    seconds,
    rps: result.requests.total / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failed: result.errors + result.timeouts + Math.max(unexpected, result.non2xx),
  })}\n`,
);
