// The child side of the parent's protocol: report the port once listening, and stop (so a
// --cpu-prof profile is written) when told to or when the parent goes away.

/**
 * Tells the parent the port, then closes and exits on a `stop` message or a lost parent.
 * @param {number} port
 * @param {() => Promise<void>} close
 * @param {Record<string, unknown>} [info]
 */
export function serveUntilStopped(port, close, info = {}) {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Exit even if a connection lingers; the bound keeps a stuck close from hanging the run.
    setTimeout(() => process.exit(0), 2_000).unref();
    close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on('message', (/** @type {{ type?: string } | undefined} */ message) => {
    if (message?.type === 'stop') stop();
    if (message?.type === 'memory') {
      // After a full collection (the parent forks with --expose-gc), so the heap is what is kept.
      /** @type {any} */ (globalThis).gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      process.send?.({ type: 'memory', rss, heapUsed });
    }
    if (message?.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ type: 'cpu', micros: user + system });
    }
  });
  process.on('disconnect', stop);
  process.send?.({ type: 'ready', port, ...info });
}
