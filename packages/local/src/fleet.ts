import { applyMigrations, migrations } from '@wijkteams/db';
import { createNodeClient, tuneEmbedded } from '@wijkteams/db/node';
import { MUNICIPALITIES, provisionTenant, type TenantDefinition } from '@wijkteams/tenants';
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
    const ctx = { control, provisioner: localProvisioner(dataDir), actor: 'system', origin: 'npm-start' };
    for (const municipality of municipalities) await provisionTenant(ctx, municipality);
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
