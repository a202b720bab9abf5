import type { Client } from '@libsql/client';
import type { FixedWindowLimiter, KeyCache } from '@wijkteams/access';
import type { GroupCommitter } from '@wijkteams/ledger';
import type { CoverageCache } from '@wijkteams/lookup';
import type { DatabaseProvisioner } from '@wijkteams/tenants';
import type { Context } from 'hono';
import type { EventsConfig } from './events.ts';
import type { TenantCache } from './tenant-cache.ts';

/** How the app reaches its databases. The Worker and the Node server each provide one. */
export interface Databases {
  control(): Client;
  tenant(databaseUrl: string): Client;
  /** True where clients belong to one request (Workers) and are closed at its end. */
  readonly perRequest: boolean;
}

export interface AppConfig {
  /** The platform admin key; admin routes answer 403 to everyone when it is not configured. */
  platformAdminKey: string | undefined;
  /** Default rate limits, per minute; a tenant's settings may override them. */
  keyRateLimitPerMinute: number;
  publicRateLimitPerMinute: number;
}

/** One per isolate (Worker) or process (Node): configuration, connections and caches. */
export interface Runtime {
  config: AppConfig;
  databases: Databases;
  /** Creates tenant databases for onboarding; throws where onboarding is not configured. */
  provisioner(): DatabaseProvisioner;
  tenantCache: TenantCache;
  keyCache: KeyCache;
  coverage: CoverageCache;
  limiter: FixedWindowLimiter;
  /** The AES-GCM key that encrypts a tenant's help requests at rest, derived from a secret. */
  requestKey(tenantId: string): Promise<CryptoKey>;
  /**
   * Ledger writes of one tenant, one at a time in this process (see LedgerContext.serialize), and
   * redemptions that arrive together written together (group commit). Both make one request wait
   * on work that another request started, which a Worker cannot do (workerd refuses I/O on behalf
   * of another request, and cancels a request that waits on one): undefined there, and each request
   * writes on its own; the guarded writes and their retries keep the ledger right either way.
   */
  ledgerQueue(tenantId: string): (<T>(work: () => Promise<T>) => Promise<T>) | undefined;
  ledgerGroup(tenantId: string): GroupCommitter | undefined;
  clientIp(c: Context): string;
  /** How the outbox's events reach webhooks and people here. */
  events: EventsConfig;
  /**
   * Tells the sender that a tenant may have new events, after a request that changed something:
   * a Queue message in a Worker, the drain loop's wake-up on Node. The outbox rows are the truth:
   * a kick that is lost only delays delivery until the next sweep.
   */
  kickOutbox(c: Context, tenantSlug: string): void;
}
