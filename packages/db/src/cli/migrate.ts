/**
 * `npm run migrate`: applies pending migrations to the control database and every tenant database.
 * Locally it works on the data folder (DATA_DIR, default `.data`); against Turso set
 * CONTROL_DB_URL, CONTROL_DB_AUTH_TOKEN and TENANT_DB_AUTH_TOKEN.
 */
import { createNodeClient } from '../client/node.ts';
import { nodeDatabaseSettings } from '../client/settings.ts';
import { migrateFleet, migrations } from '../migrations/index.ts';

const settings = nodeDatabaseSettings(process.env);
const control = createNodeClient(settings.control, { dataDir: settings.dataDir, create: true });
try {
  const results = await migrateFleet({
    control,
    migrations,
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
  console.log(`${results.length} databases, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
} finally {
  control.close();
}
