import type { Client } from '@libsql/client';

/** How the app reaches its databases. The Worker and the Node server each provide one. */
export interface Databases {
  control(): Client;
  tenant(databaseUrl: string): Client;
  /** True where clients belong to one request (Workers) and are closed at its end. */
  readonly perRequest: boolean;
}

export interface AppConfig {
  /** The platform admin key; admin routes answer 401 to everyone when it is not configured. */
  platformAdminKey: string | undefined;
  tenantCacheTtlMs: number;
}

export interface Runtime {
  config: AppConfig;
  databases: Databases;
}
