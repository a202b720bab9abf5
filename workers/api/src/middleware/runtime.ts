import type { Client } from '@libsql/client';
import { type ControlDb, controlDb } from '@wijkteams/db';
import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';
import type { Runtime } from '../runtime.ts';

/**
 * Makes the runtime and a control-plane handle available to the request. Returns what to call when
 * the request is done: it releases the client it opened (closed on Workers, kept on Node).
 */
export function attachRuntime(c: Context<AppEnv>, runtime: Runtime): () => void {
  c.set('runtime', runtime);
  let client: Client | undefined;
  let db: ControlDb | undefined;
  // Opened on first use: most requests never touch the control plane (the tenant cache answers).
  c.set('control', () => {
    client ??= runtime.databases.control();
    db ??= controlDb(client);
    return db;
  });
  return () => {
    if (client) runtime.databases.release(client);
  };
}
