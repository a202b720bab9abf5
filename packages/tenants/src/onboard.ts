import { controlDb, sha256Hex, type Tenant, type TenantSettings, tenants } from '@wijkteams/db';
import { municipalityByCode } from '@wijkteams/lookup';
import { eq } from 'drizzle-orm';
import {
  auditTenant,
  type ProvisionContext,
  provisionTenant,
  ReferencePrefixTakenError,
} from './provision.ts';

export interface OnboardingRequest {
  slug: string;
  name: string;
  municipalityCode: string;
  /** Three capital letters; derived from the name where not given. */
  referencePrefix?: string;
}

export type OnboardingOutcome =
  /** `created`: new; `completed`: a half-finished onboarding was finished; `unchanged`: a replay. */
  | { status: 'created' | 'completed' | 'unchanged'; tenant: Tenant }
  | { status: 'conflict'; detail: string }
  | { status: 'unknown-municipality'; detail: string }
  | { status: 'failed'; tenant: Tenant | undefined; detail: string };

/** Path segments that name platform resources, so they can never be a tenant's slug. */
export const RESERVED_SLUGS = new Set([
  'tenants',
  'postcodes',
  'openapi',
  'docs',
  'health',
  'widget',
  'api-keys',
]);

/**
 * Onboards a municipality: its own database, migrated and seeded with its PC4 areas from the CBS
 * data. The same request again is answered with the same tenant; the same slug with another body,
 * or a municipality that already has a tenant, is a conflict. A failure leaves the tenant `failed`
 * with its reason, and the same request again completes it.
 */
export async function onboardTenant(
  ctx: ProvisionContext,
  request: OnboardingRequest,
): Promise<OnboardingOutcome> {
  const municipality = municipalityByCode(request.municipalityCode);
  if (!municipality) {
    return {
      status: 'unknown-municipality',
      detail: `${request.municipalityCode} is not a CBS municipality code`,
    };
  }
  const db = controlDb(ctx.control);
  const requestHash = sha256Hex(
    JSON.stringify([
      request.slug,
      request.name,
      request.municipalityCode,
      ...(request.referencePrefix ? [request.referencePrefix] : []),
    ]),
  );
  const bySlug = await db.select().from(tenants).where(eq(tenants.slug, request.slug)).get();
  if (bySlug && bySlug.requestHash !== requestHash) {
    await auditTenant(ctx, bySlug.id, 'tenant.create', 'denied');
    return { status: 'conflict', detail: `The tenant '${request.slug}' exists with other details` };
  }
  if (bySlug?.status === 'active' || bySlug?.status === 'suspended')
    return { status: 'unchanged', tenant: bySlug };
  if (!bySlug) {
    const byCode = await db
      .select()
      .from(tenants)
      .where(eq(tenants.municipalityCode, request.municipalityCode))
      .get();
    if (byCode) {
      await auditTenant(ctx, byCode.id, 'tenant.create', 'denied');
      return { status: 'conflict', detail: `${municipality.name} is already onboarded as '${byCode.slug}'` };
    }
  }

  try {
    const tenant = await provisionTenant(ctx, { ...request, cbsName: municipality.name }, requestHash);
    return { status: bySlug ? 'completed' : 'created', tenant };
  } catch (error) {
    if (error instanceof ReferencePrefixTakenError) {
      await auditTenant(ctx, request.slug, 'tenant.create', 'denied');
      return { status: 'conflict', detail: error.message };
    }
    const tenant = await db.select().from(tenants).where(eq(tenants.slug, request.slug)).get();
    await auditTenant(ctx, tenant?.id ?? request.slug, 'tenant.create', 'failed');
    return { status: 'failed', tenant, detail: error instanceof Error ? error.message : String(error) };
  }
}

/** Suspends or reactivates a tenant. Returns undefined when there is no such tenant. */
export async function setTenantSuspended(
  ctx: Pick<ProvisionContext, 'control' | 'actor' | 'origin'>,
  slug: string,
  suspended: boolean,
): Promise<Tenant | undefined> {
  const db = controlDb(ctx.control);
  const tenant = await db.select().from(tenants).where(eq(tenants.slug, slug)).get();
  if (!tenant) return undefined;
  const from = suspended ? 'active' : 'suspended';
  if (tenant.status !== from) return tenant;
  const [updated] = await db
    .update(tenants)
    .set({ status: suspended ? 'suspended' : 'active', updatedAt: new Date().toISOString() })
    .where(eq(tenants.id, tenant.id))
    .returning();
  await auditTenant(ctx, tenant.id, suspended ? 'tenant.suspended' : 'tenant.reactivated', 'success');
  return updated;
}

/** Replaces a tenant's settings (CORS origins, rate limits). Returns undefined when there is no such tenant. */
export async function updateTenantSettings(
  ctx: Pick<ProvisionContext, 'control' | 'actor' | 'origin'>,
  slug: string,
  settings: TenantSettings,
): Promise<Tenant | undefined> {
  const db = controlDb(ctx.control);
  const [tenant] = await db
    .update(tenants)
    .set({ settings, updatedAt: new Date().toISOString() })
    .where(eq(tenants.slug, slug))
    .returning();
  if (tenant) await auditTenant(ctx, tenant.id, 'tenant.settings-changed', 'success');
  return tenant;
}
