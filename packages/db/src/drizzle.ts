import type { Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql/web';

// No relational schema is passed: the code uses the query builder only, and leaving it out keeps
// making a handle (once per request in a Worker) cheap.

/** The control plane: which tenants exist and where their databases are. */
export function controlDb(client: Client) {
  return drizzle({ client });
}

/** One municipality's own database. */
export function tenantDb(client: Client) {
  return drizzle({ client });
}

export type ControlDb = ReturnType<typeof controlDb>;
export type TenantDb = ReturnType<typeof tenantDb>;
