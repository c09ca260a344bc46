import { CommandError, defineCommand, param } from '@connector-proxy/core';

/** The longest wait, so a typo cannot hold a job for days. */
const MAX_SECONDS = 86_400;

/**
 * Waits, then answers how long it waited: the smallest long-running command. With callbacks
 * configured it answers 202 at once and delivers `{"waited": seconds}` to the callback URL.
 */
export const Wait = defineCommand({
  description: 'Wait the given number of seconds, then answer how long it waited (a long-running demo).',
  params: {
    seconds: param.int('How long to wait, in seconds (0 to 86400)'),
  },
  longRunning: { timeoutMs: (MAX_SECONDS + 60) * 1000 },
  // Waiting again after a crash does no harm.
  idempotent: true,
  result: {
    description: 'How long it waited.',
    schema: { type: 'object', properties: { waited: { type: 'integer' } } },
  },
  errors: { InvalidParameters: 'seconds is below 0 or above 86400.' },
  async run({ seconds }, { signal, log }) {
    if (seconds < 0 || seconds > MAX_SECONDS) {
      throw new CommandError('InvalidParameters', `seconds must be from 0 to ${MAX_SECONDS}, got ${seconds}`, {
        httpStatus: 400,
      });
    }
    log(`waiting ${seconds} s`);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, seconds * 1000);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
    return { body: { waited: seconds }, mimetype: 'application/json' };
  },
});
