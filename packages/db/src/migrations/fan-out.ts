import type { Client } from '@libsql/client';
import { mapBounded } from '../concurrency.ts';
import { controlDb } from '../drizzle.ts';
import { type Tenant, tenants } from '../schema/control/tenants.ts';
import { applyMigrations } from './apply.ts';
import type { MigrationSet } from './types.ts';

/** Tenant databases migrated at the same time unless the caller says otherwise. */
export const DEFAULT_MIGRATION_CONCURRENCY = 8;

export interface DatabaseMigrationResult {
  database: string;
  applied: string[];
  error?: string;
}

export interface FanOutOptions {
  control: Client;
  openTenant: (tenant: Pick<Tenant, 'slug' | 'databaseUrl'>) => Client;
  migrations: MigrationSet;
  /** Tenant databases migrated at the same time. */
  concurrency?: number;
}

/**
 * Migrates the control database, then every tenant database it lists. A tenant that fails is
 * reported and does not stop the others; the control database failing stops the run, because
 * without it the tenants cannot be listed.
 */
export async function migrateFleet(options: FanOutOptions): Promise<DatabaseMigrationResult[]> {
  const results: DatabaseMigrationResult[] = [
    { database: 'control', applied: await applyMigrations(options.control, options.migrations.control) },
  ];
  const fleet = await controlDb(options.control)
    .select({ slug: tenants.slug, databaseUrl: tenants.databaseUrl })
    .from(tenants)
    .orderBy(tenants.slug);

  const migrated = await mapBounded(fleet, options.concurrency ?? DEFAULT_MIGRATION_CONCURRENCY, (tenant) =>
    migrateTenant(tenant, options),
  );
  return [...results, ...migrated];
}

async function migrateTenant(
  tenant: Pick<Tenant, 'slug' | 'databaseUrl'>,
  options: FanOutOptions,
): Promise<DatabaseMigrationResult> {
  const database = `tenant:${tenant.slug}`;
  let client: Client | undefined;
  try {
    client = options.openTenant(tenant);
    return { database, applied: await applyMigrations(client, options.migrations.tenant) };
  } catch (error) {
    return { database, applied: [], error: error instanceof Error ? error.message : String(error) };
  } finally {
    client?.close();
  }
}
