/**
 * `npm run migrate`: applies pending migrations to the control database and every tenant database,
 * MIGRATION_CONCURRENCY tenant databases at a time (default 8). Locally it works on the data folder
 * (DATA_DIR, default `.data`); against Turso set CONTROL_DB_URL, CONTROL_DB_AUTH_TOKEN and
 * TENANT_DB_AUTH_TOKEN. The migrations are those bundled with the code; MIGRATIONS_DIR reads a
 * drizzle-kit output folder (with `control/` and `tenant/`) instead, as generated but not yet bundled.
 */
import { resolve } from 'node:path';
import { createNodeClient } from '../client/node.ts';
import { nodeDatabaseSettings } from '../client/settings.ts';
import { DEFAULT_MIGRATION_CONCURRENCY, migrateFleet, migrations } from '../migrations/index.ts';
import { readMigrationFolders } from '../migrations/read.ts';

const settings = nodeDatabaseSettings(process.env);
const concurrency = Number(process.env.MIGRATION_CONCURRENCY ?? DEFAULT_MIGRATION_CONCURRENCY);
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
  console.error('MIGRATION_CONCURRENCY: a whole number from 1 to 64');
  process.exit(2);
}
const migrationsDir = process.env.MIGRATIONS_DIR;
const control = createNodeClient(settings.control, { dataDir: settings.dataDir, create: true });
try {
  const started = performance.now();
  const results = await migrateFleet({
    control,
    migrations: migrationsDir ? readMigrationFolders(`${resolve(migrationsDir)}/`) : migrations,
    concurrency,
    openTenant: (tenant) =>
      createNodeClient({ url: tenant.databaseUrl, authToken: settings.tenantAuthToken }, settings),
  });
  for (const r of results) {
    const what = r.error
      ? `FAILED: ${r.error}`
      : r.applied.length
        ? `applied ${r.applied.join(', ')}`
        : 'up to date';
    console.log(`${r.database.padEnd(28)} ${what}`);
  }
  const failed = results.filter((r) => r.error).length;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${results.length} databases, ${failed} failed, ${seconds} s`);
  process.exitCode = failed ? 1 : 0;
} finally {
  control.close();
}
