import { type CommandContext, type ConfigOf, defineServices, kindOf, param } from '@connector-proxy/core';
import { createPools } from './pools.js';

/** A setting that must be a whole number of at least 1 (environment values arrive as text). */
function positiveInt(description: string) {
  return param.custom<number>(
    'int',
    (value) => {
      const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
      if (typeof number === 'number' && Number.isSafeInteger(number) && number >= 1) return { ok: true, value: number };
      const shown = typeof value === 'string' ? JSON.stringify(value) : kindOf(value);
      return { ok: false, problem: `must be a whole number of at least 1, got ${shown}` };
    },
    description,
  );
}

/**
 * connector-postgres' configuration (checked at startup) and its shared resource: one pool per
 * connection string, made when a command first needs it and ended at shutdown or before a dev reload.
 */
export const services = defineServices({
  config: {
    STATEMENT_TIMEOUT_MS: positiveInt(
      "Longest a statement may run, in milliseconds; always cut to end before the command's deadline",
    ).default(30_000),
    MAX_ROWS: positiveInt('Most rows a select (or fetch_results) may return; more is RowLimitExceeded').default(10_000),
  },
  setup() {
    return { pools: createPools() };
  },
  close({ pools }) {
    return pools.close();
  },
});

/** What connector-postgres' commands receive as their context. */
export type PostgresContext = CommandContext<
  Awaited<ReturnType<NonNullable<typeof services.setup>>>,
  ConfigOf<NonNullable<typeof services.config>>
>;
