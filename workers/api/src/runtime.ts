/**
 * What a request runs with: configuration, connections, caches and the ledger's writer, one per
 * isolate (Worker) or process (Node). The two platforms differ in the choices below, made by their
 * entries (worker.ts, node-runtime.ts) and passed to `createRuntime`:
 *
 * |                      | Workers (worker.ts)                     | Node (node-runtime.ts)            |
 * |----------------------|-----------------------------------------|-----------------------------------|
 * | database clients     | one per request, closed at its end      | one per database, kept            |
 * | ledger writes        | a Durable Object per tenant             | a queue per tenant in the process |
 * | client IP            | `CF-Connecting-IP` (`local` in dev)     | the socket, or a trusted proxy's  |
 * | lookup budget        | per isolate + the rate-limit binding    | per process                       |
 * | outbox kicks         | a Queue message                         | the drain loop's wake-up          |
 * | voucher PDFs         | its own module, loaded on first use     | the source, loaded on first use   |
 */
import type { Client } from '@libsql/client';
import { KeyCache, SlidingWindowLimiter } from '@wijkteams/access';
import { importTenantKey } from '@wijkteams/intake';
import { CoverageCache } from '@wijkteams/lookup';
import { type DatabaseProvisioner, tursoProvisioner } from '@wijkteams/tenants';
import type { Context } from 'hono';
import type { Settings } from './env.ts';
import { ApiError } from './errors.ts';
import type { EventsConfig } from './events.ts';
import type { LedgerWriter } from './ledger-writer.ts';
import type * as OnDemandModule from './on-demand/index.ts';
import { ProviderCache } from './provider-cache.ts';
import { TenantCache } from './tenant-cache.ts';

/** How the app reaches its databases. */
export interface Databases {
  control(): Client;
  tenant(databaseUrl: string): Client;
  /** Called when the request (or job) that opened `client` is done with it. */
  release(client: Client): void;
}

export interface AppConfig {
  /** The platform admin key; admin routes answer 403 to everyone when it is not configured. */
  platformAdminKey: string | undefined;
  /** Default rate limits, per minute; a tenant's settings may override them. */
  keyRateLimitPerMinute: number;
  publicRateLimitPerMinute: number;
  /** Per client IP: lookups of unknown tenants or keys, and failed authentications. */
  lookupRateLimitPerMinute: number;
  authFailureLimitPerMinute: number;
  /** The public address the OpenAPI document names as its server (PUBLIC_BASE_URL). */
  publicBaseUrl: string;
}

/** The Workers rate-limiting binding (`[[ratelimits]]` in wrangler.toml): counted across the edge. */
export interface EdgeRateLimit {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/**
 * Counters per isolate or process, each with its own bound, so that a flood of one kind (made-up
 * client IPs) cannot push out another (keys at their limit).
 */
export interface RateLimits {
  keys: SlidingWindowLimiter;
  /** Per tenant and client IP, on routes called without a key. */
  clients: SlidingWindowLimiter;
  lookups: SlidingWindowLimiter;
  authFailures: SlidingWindowLimiter;
  /** Behind `lookups` where the platform offers it (Workers), so the budget holds edge-wide. */
  edgeLookups: EdgeRateLimit | undefined;
}

export interface Runtime {
  config: AppConfig;
  databases: Databases;
  /** Every write to a tenant's ledger goes through it (see ledger-writer.ts); reads do not. */
  ledger: LedgerWriter;
  /** Creates tenant databases for onboarding; throws where onboarding is not configured. */
  provisioner(): DatabaseProvisioner;
  tenantCache: TenantCache;
  keyCache: KeyCache;
  providerCache: ProviderCache;
  coverage: CoverageCache;
  limits: RateLimits;
  /** The AES-GCM key that encrypts a tenant's help requests at rest, derived from a secret. */
  requestKey(tenantId: string): Promise<CryptoKey>;
  clientIp(c: Context): string;
  /** How the outbox's events reach webhooks and people here. */
  events: EventsConfig;
  /**
   * Tells the sender that a tenant may have new events, after a request that changed something:
   * a Queue message in a Worker, the drain loop's wake-up on Node. The outbox rows are the truth:
   * a kick that is lost only delays delivery until the next sweep.
   */
  kickOutbox(c: Context, tenantSlug: string): void;
  /** What few requests need (voucher sheet, SEPA file, tenant migrations), loaded on first use. */
  onDemand(): Promise<OnDemand>;
}

export type OnDemand = typeof OnDemandModule;

/** What each platform chooses for itself. */
export interface Platform {
  databases: Databases;
  ledger: LedgerWriter;
  clientIp: (c: Context) => string;
  /** The platform's own rate limiter for lookups, where it has one (Workers). */
  edgeLookups?: EdgeRateLimit;
  events: EventsConfig;
  kickOutbox: Runtime['kickOutbox'];
  /** Where onboarding creates databases when Turso is not configured (local development). */
  localProvisioner: DatabaseProvisioner | undefined;
  /** A new client of its own for a tenant database, which provisioning closes when done. */
  openTenantClient: (databaseUrl: string) => Client;
  /**
   * Loads the voucher sheet's code. pdf-lib is larger than the rest of the API: the Worker keeps it
   * out of the bundle it starts with, in a module of its own (see print/README.md).
   */
  onDemand: () => Promise<OnDemand>;
}

/** A runtime from the shared settings and the platform's choices. */
export function createRuntime(settings: Settings, platform: Platform): Runtime {
  const turso = tursoFrom(settings, platform.openTenantClient);
  const requestKeys = new Map<string, Promise<CryptoKey>>();
  return {
    config: {
      platformAdminKey: settings.PLATFORM_ADMIN_KEY,
      keyRateLimitPerMinute: settings.KEY_RATE_LIMIT_PER_MINUTE,
      publicRateLimitPerMinute: settings.PUBLIC_RATE_LIMIT_PER_MINUTE,
      lookupRateLimitPerMinute: settings.LOOKUP_RATE_LIMIT_PER_MINUTE,
      authFailureLimitPerMinute: settings.AUTH_FAILURE_LIMIT_PER_MINUTE,
      publicBaseUrl: settings.PUBLIC_BASE_URL,
    },
    databases: platform.databases,
    ledger: platform.ledger,
    clientIp: platform.clientIp,
    events: platform.events,
    kickOutbox: platform.kickOutbox,
    onDemand: platform.onDemand,
    provisioner: () => {
      const provisioner = turso ?? platform.localProvisioner;
      if (!provisioner)
        throw new ApiError('onboarding-unavailable', 'No database provider is configured here');
      return provisioner;
    },
    tenantCache: new TenantCache(settings.TENANT_CACHE_TTL_MS),
    keyCache: new KeyCache(settings.KEY_CACHE_TTL_MS, Math.min(5_000, settings.KEY_CACHE_TTL_MS)),
    providerCache: new ProviderCache(settings.PROVIDER_CACHE_TTL_MS),
    coverage: new CoverageCache({
      recheckMs: settings.COVERAGE_RECHECK_MS,
      maxBytes: settings.COVERAGE_CACHE_MAX_MB * 1024 * 1024,
    }),
    limits: {
      keys: new SlidingWindowLimiter(60_000, 20_000),
      clients: new SlidingWindowLimiter(60_000, 50_000),
      lookups: new SlidingWindowLimiter(60_000, 20_000),
      authFailures: new SlidingWindowLimiter(60_000, 20_000),
      edgeLookups: platform.edgeLookups,
    },
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
