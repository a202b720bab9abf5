import type { Client } from '@libsql/client';
import { type ControlDb, controlDb } from '@wijkteams/db';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';
import type { Runtime } from '../runtime.ts';

/** Makes the runtime and a control-plane handle available to the request; closes per-request clients. */
export function provideRuntime(resolve: (c: Context<AppEnv>) => Runtime): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const runtime = resolve(c);
    c.set('runtime', runtime);
    let client: Client | undefined;
    let db: ControlDb | undefined;
    // Opened on first use: most requests never touch the control plane (the tenant cache answers).
    c.set('control', () => {
      client ??= runtime.databases.control();
      db ??= controlDb(client);
      return db;
    });
    try {
      await next();
    } finally {
      if (runtime.databases.perRequest) client?.close();
    }
  };
}
