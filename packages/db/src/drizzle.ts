import type { Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql/web';
import * as controlSchema from './schema/control/index.ts';
import * as tenantSchema from './schema/tenant/index.ts';

/** The control plane: which tenants exist and where their databases are. */
export function controlDb(client: Client) {
  return drizzle({ client, schema: controlSchema });
}

/** One municipality's own database. */
export function tenantDb(client: Client) {
  return drizzle({ client, schema: tenantSchema });
}

export type ControlDb = ReturnType<typeof controlDb>;
export type TenantDb = ReturnType<typeof tenantDb>;
