import type { Client } from '@libsql/client';
import { FixedWindowLimiter, KeyCache } from '@wijkteams/access';
import { importTenantKey } from '@wijkteams/intake';
import { groupCommitter, serialQueue } from '@wijkteams/ledger';
import { CoverageCache } from '@wijkteams/lookup';
import { type DatabaseProvisioner, tursoProvisioner } from '@wijkteams/tenants';
import type { Context } from 'hono';
import type { Settings } from './env.ts';
import { ApiError } from './errors.ts';
import type { EventsConfig } from './events.ts';
import type { Databases, Runtime } from './runtime.ts';
import { TenantCache } from './tenant-cache.ts';

/** The parts of a runtime that are the same on every platform, from the shared settings. */
export function assembleRuntime(
  settings: Settings,
  parts: {
    databases: Databases;
    /** Where onboarding creates databases when Turso is not configured (local development). */
    localProvisioner: DatabaseProvisioner | undefined;
    /** A new client of its own for a tenant database, which provisioning closes when done. */
    openTenantClient: (databaseUrl: string) => Client;
    clientIp: (c: Context) => string;
    events: EventsConfig;
    kickOutbox: Runtime['kickOutbox'];
  },
): Runtime {
  const turso = tursoFrom(settings, parts.openTenantClient);
  const requestKeys = new Map<string, Promise<CryptoKey>>();
  // Clients that belong to one request (Workers) mean work that must stay inside that request.
  const sharedWriters = !parts.databases.perRequest;
  return {
    config: {
      platformAdminKey: settings.PLATFORM_ADMIN_KEY,
      keyRateLimitPerMinute: settings.KEY_RATE_LIMIT_PER_MINUTE,
      publicRateLimitPerMinute: settings.PUBLIC_RATE_LIMIT_PER_MINUTE,
    },
    databases: parts.databases,
    provisioner: () => {
      const provisioner = turso ?? parts.localProvisioner;
      if (!provisioner)
        throw new ApiError('onboarding-unavailable', 'No database provider is configured here');
      return provisioner;
    },
    tenantCache: new TenantCache(settings.TENANT_CACHE_TTL_MS),
    keyCache: new KeyCache(settings.KEY_CACHE_TTL_MS, Math.min(5_000, settings.KEY_CACHE_TTL_MS)),
    coverage: new CoverageCache(settings.COVERAGE_RECHECK_MS),
    limiter: new FixedWindowLimiter(),
    clientIp: parts.clientIp,
    events: parts.events,
    kickOutbox: parts.kickOutbox,
    ledgerQueue: sharedWriters ? onePerTenant(() => serialQueue()) : () => undefined,
    ledgerGroup: sharedWriters ? onePerTenant(() => groupCommitter()) : () => undefined,
    requestKey: (tenantId) => {
      const secret = settings.REQUEST_ENCRYPTION_SECRET;
      if (!secret)
        throw new ApiError(
          'not-configured',
          'REQUEST_ENCRYPTION_SECRET is not set, so help requests cannot be stored',
        );
      let key = requestKeys.get(tenantId);
      if (!key) {
        key = importTenantKey(`${secret}/${tenantId}`);
        requestKeys.set(tenantId, key);
      }
      return key;
    },
  };
}

/** One `T` per tenant, made on first use and kept for the life of the runtime. */
function onePerTenant<T>(make: () => T): (tenantId: string) => T {
  const made = new Map<string, T>();
  return (tenantId) => {
    let value = made.get(tenantId);
    if (value === undefined) {
      value = make();
      made.set(tenantId, value);
    }
    return value;
  };
}

function tursoFrom(settings: Settings, openClient: (url: string) => Client): DatabaseProvisioner | undefined {
  if (!settings.TURSO_API_TOKEN || !settings.TURSO_ORGANIZATION) return undefined;
  return tursoProvisioner({
    organization: settings.TURSO_ORGANIZATION,
    group: settings.TURSO_GROUP,
    apiToken: settings.TURSO_API_TOKEN,
    apiBaseUrl: settings.TURSO_API_URL,
    openClient,
  });
}
