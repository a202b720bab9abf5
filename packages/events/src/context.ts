import type { Client } from '@libsql/client';
import type { TenantKey } from '@wijkteams/intake';
import type { Channels } from './channels/types.ts';
import type { UrlPolicy } from './webhooks/url-policy.ts';

/**
 * What the outbox works on: one tenant's database and key, a clock, and the ways out (webhooks over
 * `fetch`, messages over the configured channels). Nothing of HTTP routing or Workers: the Worker's
 * Queue consumer, the Node drain loop, the CLI and the tests build the same context.
 */
export interface EventsContext {
  db: Client;
  clock: () => Date;
  tenant: { id: string; slug: string; name: string };
  /** The tenant's key for personal data (`@wijkteams/intake`): contact details, tokens, secrets. */
  encryptionKey: TenantKey;
  /** Where residents and providers open links: `https://api.example.nl` (no trailing slash). */
  publicBaseUrl: string;
  channels: Channels;
  /** Which webhook URLs may be called. */
  urlPolicy: UrlPolicy;
  /** `fetch` for webhook deliveries (tests pass their own). */
  fetch?: typeof fetch;
  /** Looks up a host's addresses before a delivery, where the platform lets us (Node). */
  resolveHost?: (host: string) => Promise<string[]>;
  /** How long a claimed attempt is held before another sender may make it again (default 60 s). */
  leaseMs?: number;
}
