import type { Client } from '@libsql/client';
import { controlDb, DEFAULT_OFFER_TIMEOUT_HOURS, mapBounded, type Tenant } from '@wijkteams/db';
import { pruneOutbox } from '@wijkteams/events';
import { applyRetention, expireOffers, type IntakeContext } from '@wijkteams/intake';
import { listTenants, referencePrefixOf } from '@wijkteams/tenants';
import type { Runtime } from './runtime.ts';

/** Days after closing before a request's personal data is anonymised (AVG retention). */
export const ANONYMISE_CLOSED_AFTER_DAYS = 90;
/** The intake context of a tenant for scheduled work, at `now`. */
export async function scheduledIntakeContext(
  runtime: Runtime,
  tenant: Tenant,
  db: Client,
  now: Date,
): Promise<IntakeContext> {
  return {
    db,
    clock: () => now,
    tenant: { id: tenant.id, slug: tenant.slug, code: referencePrefixOf(tenant) },
    calendar: tenant.settings.slaCalendar,
    encryptionKey: await runtime.requestKey(tenant.id),
    origin: 'scheduled',
    offerTimeoutHours: offerTimeoutHours(tenant),
  };
}

/** An offer a provider does not answer moves the request down the ladder after this long. */
export const offerTimeoutHours = (tenant: Tenant) =>
  tenant.settings.offerTimeoutHours ?? DEFAULT_OFFER_TIMEOUT_HOURS;

/**
 * Offers past their deadline move down the ladder, and are offered there: run with every sweep of
 * the outbox (every minute in a Worker, every 30 s on Node), so an offer moves within minutes of its
 * deadline. Guarded writes make overlapping sweeps harmless.
 */
export async function expireDueOffers(
  runtime: Runtime,
  tenant: Tenant,
  db: Client,
  now = new Date(),
): Promise<number> {
  const ctx = await scheduledIntakeContext(runtime, tenant, db, now);
  return (await expireOffers(ctx, { now, offerTtlHours: offerTimeoutHours(tenant) })).expired.length;
}

export interface TenantMaintenance {
  tenant: string;
  anonymised: number;
  deleted: number;
  offersExpired: number;
  vouchersExpired: number;
  /** Outbox rows past their keeping time (delivery log, sent messages). */
  outboxPruned: number;
  error?: string;
}

/** Tenants maintained at the same time by `runMaintenance` (Node); on Workers, see queues/maintenance.ts. */
export const MAINTENANCE_CONCURRENCY = 4;

/**
 * The scheduled work for every active tenant, `concurrency` tenants at a time, so that one slow
 * tenant holds one slot and not the rest. Used on Node (`npm run maintenance`); the Worker sends a
 * Queue message per tenant instead (queues/maintenance.ts). One tenant failing does not stop the others.
 */
export async function runMaintenance(
  runtime: Runtime,
  now: Date,
  concurrency = MAINTENANCE_CONCURRENCY,
): Promise<TenantMaintenance[]> {
  const tenants = await activeTenants(runtime);
  return mapBounded(tenants, concurrency, (tenant) => maintainTenant(runtime, tenant, now));
}

/** Every active tenant, from the control database. */
export async function activeTenants(runtime: Runtime): Promise<Tenant[]> {
  const control = runtime.databases.control();
  try {
    return (await listTenants(controlDb(control))).filter((tenant) => tenant.status === 'active');
  } finally {
    runtime.databases.release(control);
  }
}

/**
 * One tenant's scheduled work: retention, timed-out offers, the voucher expiry sweep and the
 * outbox's keeping time. Every step is idempotent, so running it twice, or after a crash half way,
 * is harmless. A failure is reported in the result (`error`), never thrown.
 */
export async function maintainTenant(
  runtime: Runtime,
  tenant: Tenant,
  now: Date,
): Promise<TenantMaintenance> {
  const result: TenantMaintenance = {
    tenant: tenant.slug,
    anonymised: 0,
    deleted: 0,
    offersExpired: 0,
    vouchersExpired: 0,
    outboxPruned: 0,
  };
  let db: Client | undefined;
  try {
    db = runtime.databases.tenant(tenant.databaseUrl);
    const ctx = await scheduledIntakeContext(runtime, tenant, db, now);
    // Retention works in bounded rounds; repeat until a round finds nothing.
    for (let round = 0; round < 50; round++) {
      const done = await applyRetention(ctx, { now, anonymiseClosedAfterDays: ANONYMISE_CLOSED_AFTER_DAYS });
      result.anonymised += done.anonymised;
      result.deleted += done.deleted;
      if (done.anonymised === 0 && done.deleted === 0) break;
    }
    result.offersExpired = await expireDueOffers(runtime, tenant, db, now);
    result.vouchersExpired = (await runtime.ledger.write(tenant, 'expire', { now })).expired;
    const pruned = await pruneOutbox(db, now);
    result.outboxPruned = pruned.events + pruned.deliveries + pruned.messages;
  } catch (error) {
    result.error = error instanceof Error ? error.name : 'Error';
  } finally {
    if (db) runtime.databases.release(db);
  }
  return result;
}
