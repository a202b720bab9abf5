import type { Client } from '@libsql/client';
import {
  controlDb,
  DEFAULT_OFFER_TIMEOUT_HOURS,
  type PayoutAccount,
  type SlaCalendar,
  SlaCalendarSchema,
  type Tenant,
  type TenantSettings,
  tenants,
} from '@wijkteams/db';
import { and, eq, ne } from 'drizzle-orm';
import { auditTenant } from './provision.ts';
import { isPrefixTaken, referencePrefixOf } from './reference-prefix.ts';

/** The platform's own rate limits: what a tenant gets, and may not exceed, unless the platform admin says otherwise. */
export interface PlatformLimits {
  keyRateLimitPerMinute: number;
  publicRateLimitPerMinute: number;
}

/** A tenant's settings with every default filled in: what `GET /v1/{tenant}/settings` answers. */
export interface EffectiveSettings {
  referencePrefix: string;
  corsOrigins: string[];
  keyRateLimitPerMinute: number;
  publicRateLimitPerMinute: number;
  rateLimitCaps: PlatformLimits;
  offerTimeoutHours: number;
  slaCalendar: SlaCalendar;
  /** Where payouts are paid from; null until finance sets it. */
  payoutAccount: PayoutAccount | null;
}

const DEFAULT_SLA_CALENDAR = SlaCalendarSchema.parse({});
const RATE_LIMITS = ['keyRateLimitPerMinute', 'publicRateLimitPerMinute'] as const;

export function effectiveSettings(tenant: Tenant, platform: PlatformLimits): EffectiveSettings {
  const s = tenant.settings;
  return {
    referencePrefix: referencePrefixOf(tenant),
    corsOrigins: s.corsOrigins ?? [],
    keyRateLimitPerMinute: s.keyRateLimitPerMinute ?? platform.keyRateLimitPerMinute,
    publicRateLimitPerMinute: s.publicRateLimitPerMinute ?? platform.publicRateLimitPerMinute,
    rateLimitCaps: s.rateLimitCaps ?? { ...platform },
    offerTimeoutHours: s.offerTimeoutHours ?? DEFAULT_OFFER_TIMEOUT_HOURS,
    slaCalendar: s.slaCalendar ?? DEFAULT_SLA_CALENDAR,
    payoutAccount: s.payoutAccount ?? null,
  };
}

/** A change as `PATCH /v1/{tenant}/settings` takes it: each key given replaces that setting whole. */
export type SettingsChange = TenantSettings & { referencePrefix?: string };

export interface SettingsContext {
  control: Client;
  /** `platform-admin` or `key:<id>`, for the audit log; and where the call came from. */
  actor: string;
  origin: string;
  /** The platform admin is bound by no cap and may set the caps themselves. */
  byPlatformAdmin: boolean;
  platform: PlatformLimits;
  /** Whether the tenant has numbered a request yet (its prefix is then fixed). */
  hasRequests: () => Promise<boolean>;
}

export type SettingsOutcome =
  | { ok: true; tenant: Tenant; settings: EffectiveSettings }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'beyond-cap' | 'caps-are-the-platforms'; field: string; detail: string }
  | { ok: false; reason: 'prefix-taken' | 'prefix-in-use'; detail: string };

/**
 * Changes a tenant's settings in one write: all of the change or none of it. A tenant's own admin
 * may lower its rate limits and raise them up to the platform's caps, not past them (nor change
 * the caps); the reference prefix can change only before the first request and must be free.
 */
export async function changeTenantSettings(
  ctx: SettingsContext,
  tenantId: string,
  change: SettingsChange,
): Promise<SettingsOutcome> {
  const db = controlDb(ctx.control);
  const tenant = await db.select().from(tenants).where(eq(tenants.id, tenantId)).get();
  if (!tenant) return { ok: false, reason: 'not-found' };
  const current = effectiveSettings(tenant, ctx.platform);
  const { referencePrefix, ...settings } = change;

  if (!ctx.byPlatformAdmin) {
    const denied = capProblem(current, settings);
    if (denied) {
      await auditTenant(ctx, tenant.id, 'tenant.settings-change', 'denied');
      return { ok: false, ...denied };
    }
  }
  const prefixChanges = referencePrefix !== undefined && referencePrefix !== current.referencePrefix;
  if (prefixChanges) {
    const holder = await db
      .select({ slug: tenants.slug })
      .from(tenants)
      .where(and(eq(tenants.referencePrefix, referencePrefix), ne(tenants.id, tenant.id)))
      .get();
    if (holder) return { ok: false, reason: 'prefix-taken', detail: prefixTaken(referencePrefix) };
    if (await ctx.hasRequests()) {
      return {
        ok: false,
        reason: 'prefix-in-use',
        detail: `References already start with ${current.referencePrefix}; the prefix is fixed after the first request`,
      };
    }
  }
  let updated: Tenant | undefined;
  try {
    [updated] = await db
      .update(tenants)
      .set({
        settings: { ...tenant.settings, ...settings },
        ...(prefixChanges ? { referencePrefix } : {}),
        updatedAt: new Date().toISOString(),
      })
      .where(eq(tenants.id, tenant.id))
      .returning();
  } catch (error) {
    if (prefixChanges && isPrefixTaken(error))
      return { ok: false, reason: 'prefix-taken', detail: prefixTaken(referencePrefix) };
    throw error;
  }
  if (!updated) return { ok: false, reason: 'not-found' };
  await auditTenant(ctx, tenant.id, 'tenant.settings-changed', 'success');
  return { ok: true, tenant: updated, settings: effectiveSettings(updated, ctx.platform) };
}

const prefixTaken = (prefix: string) => `The reference prefix ${prefix} is taken by another municipality`;

/** What a tenant's own admin may not do: raise a limit past its cap, or change the caps. */
function capProblem(
  current: EffectiveSettings,
  settings: TenantSettings,
): { reason: 'beyond-cap' | 'caps-are-the-platforms'; field: string; detail: string } | undefined {
  for (const field of RATE_LIMITS) {
    const wanted = settings[field];
    const cap = current.rateLimitCaps[field];
    // Sending back a value the platform admin set above the cap is no raise.
    if (wanted !== undefined && wanted > cap && wanted !== current[field]) {
      return {
        reason: 'beyond-cap',
        field,
        detail: `${field} may be at most ${cap} for this municipality; ask the platform to raise the cap`,
      };
    }
  }
  const caps = settings.rateLimitCaps;
  if (caps && RATE_LIMITS.some((field) => caps[field] !== current.rateLimitCaps[field])) {
    return {
      reason: 'caps-are-the-platforms',
      field: 'rateLimitCaps',
      detail: 'Only the platform admin sets the caps on rate limits',
    };
  }
  return undefined;
}
