import { SQLSTATE_NAMES } from './sqlstate.js';

/**
 * The DB-API class psycopg2 raises for an SQLSTATE it has no name for (a code newer than its
 * table), chosen by the code's class as psycopg2's `base_exception_from_sqlstate` does.
 */
export function baseClassName(sqlstate: string): string {
  const [first, second] = sqlstate;
  switch (first) {
    case '0':
      if (second === '8') return 'OperationalError';
      if (second === 'A') return 'NotSupportedError';
      break;
    case '2':
      if (second === '0' || second === '1') return 'ProgrammingError';
      if (second === '2') return 'DataError';
      if (second === '3') return 'IntegrityError';
      if (second === '4' || second === '5' || second === 'B' || second === 'D' || second === 'F')
        return 'InternalError';
      if (second === '6' || second === '7' || second === '8') return 'OperationalError';
      break;
    case '3':
      if (second === '4') return 'OperationalError';
      if (second === '8' || second === '9' || second === 'B') return 'InternalError';
      if (second === 'D' || second === 'F') return 'ProgrammingError';
      break;
    case '4':
      if (second === '0') return 'TransactionRollbackError';
      if (second === '2' || second === '4') return 'ProgrammingError';
      break;
    case '5':
      return sqlstate === '57014' ? 'QueryCanceledError' : 'OperationalError';
    case 'F':
    case 'P':
    case 'X':
      return 'InternalError';
    case 'H':
      return 'OperationalError';
  }
  return 'DatabaseError';
}

/** The `error_code` for an SQLSTATE: psycopg2's name for it, else its DB-API class. */
export function errorNameOf(sqlstate: string): string {
  return SQLSTATE_NAMES.get(sqlstate) ?? baseClassName(sqlstate);
}
