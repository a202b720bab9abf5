import type { Client } from '@libsql/client';
import { recordAudit } from '@wijkteams/access';
import { applyMigrations, controlDb, type Migration, newId, type Tenant, tenants } from '@wijkteams/db';
import { eq } from 'drizzle-orm';
import { chooseReferencePrefix, isPrefixTaken, takenReferencePrefixes } from './reference-prefix.ts';
import { seedTenantDatabase } from './seed/seed-tenant.ts';
import type { MunicipalitySeed } from './seed/types.ts';

/** Creates and opens tenant databases: local files in development, Turso databases in production. */
export interface DatabaseProvisioner {
  /** Creates the database for a tenant if it does not exist yet and returns its URL. Idempotent. */
  create(slug: string): Promise<string>;
  open(databaseUrl: string): Client;
}

export interface ProvisionContext {
  control: Client;
  provisioner: DatabaseProvisioner;
  /**
   * The migrations a new tenant database gets (`migrations.tenant`): given, not imported here, so
   * that the Worker can load them only when it onboards (they are its largest text).
   */
  tenantMigrations: () => Promise<readonly Migration[]> | readonly Migration[];
  /** Who asked, for the audit log: `platform-admin`, `cli`, `system`; and from where. */
  actor: string;
  origin: string;
}

export type TenantDefinition = Pick<MunicipalitySeed, 'slug' | 'name' | 'municipalityCode' | 'cbsName'> & {
  teams?: MunicipalitySeed['teams'];
  /** The prefix of its references; derived from the name (the first one free) where not given. */
  referencePrefix?: string;
};

/** Another tenant has the reference prefix that was asked for. */
export class ReferencePrefixTakenError extends Error {
  constructor(readonly prefix: string) {
    super(`The reference prefix ${prefix} is taken by another municipality`);
    this.name = 'ReferencePrefixTakenError';
  }
}

/**
 * Brings a tenant to `active`: registers it, creates its database, applies every tenant migration
 * and seeds it. Each step is idempotent, so a run that failed half way (status `failed`, with the
 * reason in `lastError`) completes when it is run again.
 */
export async function provisionTenant(
  ctx: ProvisionContext,
  definition: TenantDefinition,
  requestHash: string | null = null,
): Promise<Tenant> {
  const db = controlDb(ctx.control);
  const existing = await db.select().from(tenants).where(eq(tenants.slug, definition.slug)).get();
  if (existing?.status === 'active' || existing?.status === 'suspended') return existing;

  const tenant = existing ?? (await register(db, definition, requestHash));

  let client: Client | undefined;
  try {
    const databaseUrl = await ctx.provisioner.create(definition.slug);
    await db.update(tenants).set({ databaseUrl }).where(eq(tenants.id, tenant.id));
    client = ctx.provisioner.open(databaseUrl);
    await applyMigrations(client, await ctx.tenantMigrations());
    await seedTenantDatabase(client, definition);
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    await setStatus(ctx, tenant.id, 'failed', reason.slice(0, 500));
    throw error;
  } finally {
    client?.close();
  }
  const active = await setStatus(ctx, tenant.id, 'active', null);
  await auditTenant(ctx, active.id, existing ? 'tenant.provisioning-completed' : 'tenant.created', 'success');
  return active;
}

/**
 * Registers the tenant with a reference prefix of its own. Two onboardings at once may pick the
 * same derived prefix: the unique index lets one win, and the other takes the next free one.
 */
async function register(
  db: ReturnType<typeof controlDb>,
  definition: TenantDefinition,
  requestHash: string | null,
): Promise<Tenant> {
  for (let attempt = 0; ; attempt++) {
    const taken = await takenReferencePrefixes(db);
    if (definition.referencePrefix && taken.has(definition.referencePrefix))
      throw new ReferencePrefixTakenError(definition.referencePrefix);
    const referencePrefix = definition.referencePrefix ?? chooseReferencePrefix(definition.name, taken);
    try {
      const [tenant] = await db
        .insert(tenants)
        .values({
          id: newId('ten'),
          slug: definition.slug,
          name: definition.name,
          municipalityCode: definition.municipalityCode,
          referencePrefix,
          databaseUrl: 'pending:',
          status: 'provisioning',
          requestHash,
        })
        .returning();
      if (!tenant) throw new Error('Registering the tenant returned nothing');
      return tenant;
    } catch (error) {
      if (!isPrefixTaken(error) || attempt >= 5) throw error;
      if (definition.referencePrefix) throw new ReferencePrefixTakenError(definition.referencePrefix);
    }
  }
}

async function setStatus(
  ctx: ProvisionContext,
  tenantId: string,
  status: Tenant['status'],
  lastError: string | null,
): Promise<Tenant> {
  const [tenant] = await controlDb(ctx.control)
    .update(tenants)
    .set({ status, lastError, updatedAt: new Date().toISOString() })
    .where(eq(tenants.id, tenantId))
    .returning();
  if (!tenant) throw new Error(`Tenant ${tenantId} disappeared while provisioning`);
  return tenant;
}

/** An audit record about a tenant, by the actor and origin of the context. */
export function auditTenant(
  ctx: Pick<ProvisionContext, 'control' | 'actor' | 'origin'>,
  tenantId: string,
  action: string,
  result: 'success' | 'denied' | 'failed',
): Promise<void> {
  return recordAudit(controlDb(ctx.control), {
    actor: ctx.actor,
    origin: ctx.origin,
    tenantId: tenantId.startsWith('ten_') ? tenantId : null,
    action,
    objectType: 'tenant',
    objectId: tenantId,
    result,
  });
}
