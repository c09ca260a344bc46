/**
 * PostgreSQL's cancel request: a separate connection that asks the server to stop what one
 * backend is running. Closing a connection does not stop a statement that is busy (the server only
 * notices when it next writes), so an aborted command sends this before it closes its connection.
 */
import { connect } from 'node:net';
import type { PoolClient } from 'pg';

/** The cancel request code of the frontend/backend protocol. */
const CANCEL_REQUEST_CODE = 80877102;

/** What node-postgres keeps of the backend's key data (not in its published types). */
interface BackendKey {
  processID?: unknown;
  secretKey?: unknown;
  host?: unknown;
  port?: unknown;
}

/** Asks the server to cancel what `client`'s backend runs; best effort, never throws. */
export function cancelBackend(client: PoolClient): void {
  const { processID, secretKey, host, port } = client as unknown as BackendKey;
  if (typeof processID !== 'number' || typeof secretKey !== 'number' || typeof port !== 'number') return;
  if (typeof host !== 'string') return;
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  packet.writeInt32BE(processID, 8);
  packet.writeInt32BE(secretKey, 12);
  const socket = host.startsWith('/') ? connect(`${host}/.s.PGSQL.${port}`) : connect(port, host);
  socket.setTimeout(5_000, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('connect', () => socket.end(packet));
}
