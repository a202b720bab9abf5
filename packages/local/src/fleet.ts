import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkApiKey, createApiKey, keyByHash } from '@wijkteams/access';
import { applyMigrations, controlDb, migrateFleet, migrations, SCOPES } from '@wijkteams/db';
import { createNodeClient, tuneEmbedded } from '@wijkteams/db/node';
import { seedCategories } from '@wijkteams/intake';
import { listTenants, MUNICIPALITIES, provisionTenant, type TenantDefinition } from '@wijkteams/tenants';
import { localProvisioner } from '@wijkteams/tenants/local';

export const CONTROL_URL = 'file:control.db';

/**
 * Makes the local data folder ready: the control database, migrated, and every launch municipality
 * provisioned and seeded. Safe to run on every start: what exists is left alone.
 */
export async function ensureLocalFleet(
  dataDir: string,
  municipalities: TenantDefinition[] = MUNICIPALITIES,
): Promise<void> {
  const control = createNodeClient({ url: CONTROL_URL }, { dataDir, create: true });
  try {
    await tuneEmbedded(control);
    await applyMigrations(control, migrations.control);
    const provisioner = localProvisioner(dataDir);
    const ctx = {
      control,
      provisioner,
      tenantMigrations: () => migrations.tenant,
      actor: 'system',
      origin: 'npm-start',
    };
    for (const municipality of municipalities) await provisionTenant(ctx, municipality);
    // A data folder from an earlier version: bring every tenant database to the current schema,
    // with the default help categories where they are missing.
    const results = await migrateFleet({
      control,
      migrations,
      openTenant: (t) => provisioner.open(t.databaseUrl),
    });
    const failed = results.filter((r) => r.error);
    if (failed.length > 0) throw new Error(`Migrating ${failed.map((r) => r.database).join(', ')} failed`);
    for (const tenant of await listTenants(controlDb(control))) {
      const client = provisioner.open(tenant.databaseUrl);
      try {
        await seedCategories(client);
      } finally {
        client.close();
      }
    }
  } finally {
    control.close();
  }
}

/**
 * Test fixture: an active tenant whose database URL points at a host that never answers, to prove
 * that a hanging database gives a bounded 503 instead of a hung request.
 */
export async function registerUnreachableTenant(
  dataDir: string,
  host = 'hanging-database.test',
): Promise<void> {
  const control = createNodeClient({ url: CONTROL_URL }, { dataDir });
  try {
    await control.execute({
      sql: `INSERT OR IGNORE INTO tenants (id, slug, name, municipality_code, database_url, status)
            VALUES ('ten_unreachable', 'unreachable', 'Unreachable (test)', 'GM9999', ?, 'active')`,
      args: [`http://${host}/`],
    });
  } finally {
    control.close();
  }
}

/**
 * One partner key with every scope per tenant, for trying the API locally (the contract's `npm
 * start` prints them). The plaintext is kept in the git-ignored data folder, readable by its owner
 * only, so that the same keys work across restarts; a key revoked in the meantime is replaced.
 */
export async function ensureLocalPartnerKeys(dataDir: string): Promise<Record<string, string>> {
  const file = join(dataDir, 'partner-keys.json');
  const known: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const client = createNodeClient({ url: CONTROL_URL }, { dataDir });
  const control = controlDb(client);
  const keys: Record<string, string> = {};
  try {
    for (const tenant of await listTenants(control)) {
      if (tenant.status !== 'active') continue;
      const existing = known[tenant.slug];
      const check = existing ? await checkApiKey(keyByHash(control), existing, new Date()) : undefined;
      if (existing && check?.ok) {
        keys[tenant.slug] = existing;
        continue;
      }
      const { plaintext } = await createApiKey(control, {
        tenantId: tenant.id,
        tenantSlug: tenant.slug,
        name: 'Local partner key (npm start)',
        kind: 'partner',
        scopes: [...SCOPES],
        createdBy: 'system',
      });
      keys[tenant.slug] = plaintext;
    }
  } finally {
    client.close();
  }
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}
