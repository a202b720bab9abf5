import type { Client } from '@libsql/client';
import { applyMigrations, controlDb, migrations, newId, type Tenant, tenants } from '@wijkteams/db';
import { eq } from 'drizzle-orm';
import { seedTenantDatabase } from './seed/seed-tenant.ts';
import type { MunicipalitySeed } from './seed/types.ts';

/** Creates and opens tenant databases: local files in development, Turso databases in production. */
export interface DatabaseProvisioner {
  /** Creates the database for a tenant if it does not exist yet and returns its URL. Idempotent. */
  create(slug: string): Promise<string>;
  open(databaseUrl: string): Client;
}

export type TenantDefinition = Pick<MunicipalitySeed, 'slug' | 'name' | 'municipalityCode' | 'cbsName'> & {
  teams?: MunicipalitySeed['teams'];
};

/**
 * Brings a tenant to `active`: registers it, creates its database, applies every tenant migration
 * and seeds it. Each step is idempotent, so a run that failed half way (status `failed`) completes
 * when it is run again.
 */
export async function provisionTenant(
  control: Client,
  provisioner: DatabaseProvisioner,
  definition: TenantDefinition,
): Promise<Tenant> {
  const db = controlDb(control);
  const existing = await db.select().from(tenants).where(eq(tenants.slug, definition.slug)).get();
  if (existing?.status === 'active') return existing;

  const databaseUrl = await provisioner.create(definition.slug);
  if (!existing) {
    await db.insert(tenants).values({
      id: newId('ten'),
      slug: definition.slug,
      name: definition.name,
      municipalityCode: definition.municipalityCode,
      databaseUrl,
      status: 'provisioning',
    });
  }

  const client = provisioner.open(databaseUrl);
  try {
    await applyMigrations(client, migrations.tenant);
    await seedTenantDatabase(client, definition);
  } catch (error) {
    await setStatus(control, definition.slug, 'failed');
    throw error;
  } finally {
    client.close();
  }
  return setStatus(control, definition.slug, 'active');
}

async function setStatus(control: Client, slug: string, status: Tenant['status']): Promise<Tenant> {
  const [tenant] = await controlDb(control)
    .update(tenants)
    .set({ status, updatedAt: new Date().toISOString() })
    .where(eq(tenants.slug, slug))
    .returning();
  if (!tenant) throw new Error(`Tenant ${slug} disappeared while provisioning`);
  return tenant;
}
