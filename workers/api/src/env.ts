import { z } from 'zod';

const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** Settings shared by the Worker and the Node server, from bindings or the environment. */
export const SettingsSchema = z.object({
  PLATFORM_ADMIN_KEY: z.string().min(24).optional(),
  /** A Turso group token that opens every tenant database of the group. */
  TENANT_DB_AUTH_TOKEN: z.string().min(1).optional(),
  DB_TIMEOUT_MS: int(100, 30_000, 3_000),
  TENANT_CACHE_TTL_MS: int(0, 600_000, 30_000),
  /** How long a key stays valid in other isolates after it is revoked. */
  KEY_CACHE_TTL_MS: int(0, 600_000, 30_000),
  /**
   * How long an isolate remembers a registered provider for redemptions: a provider taken out of
   * service elsewhere may still be paid by another isolate for this long (at once where it was changed).
   */
  PROVIDER_CACHE_TTL_MS: int(0, 60_000, 5_000),
  /** How often an isolate asks whether a tenant's coverage changed (no query per lookup). */
  COVERAGE_RECHECK_MS: int(0, 600_000, 5_000),
  /** Bound on the coverage indexes one isolate keeps (estimated MB); the least recently used go first. */
  COVERAGE_CACHE_MAX_MB: int(1, 1_024, 24),
  KEY_RATE_LIMIT_PER_MINUTE: int(1, 1_000_000, 600),
  PUBLIC_RATE_LIMIT_PER_MINUTE: int(1, 1_000_000, 120),
  /**
   * Per client IP: control-plane lookups of municipalities or keys that this isolate does not know
   * (made-up slugs, random keys). Lookups that find something are not counted.
   */
  LOOKUP_RATE_LIMIT_PER_MINUTE: int(1, 1_000_000, 60),
  /** Per client IP: failed authentications; past it, requests with a key get 429 before it is checked. */
  AUTH_FAILURE_LIMIT_PER_MINUTE: int(1, 1_000_000, 30),
  /** Master secret from which each tenant's request-encryption key is derived (HKDF, per tenant id). */
  REQUEST_ENCRYPTION_SECRET: z.string().min(32).optional(),
  /** Onboarding in production: databases are created through the Turso Platform API. */
  TURSO_API_TOKEN: z.string().min(1).optional(),
  TURSO_ORGANIZATION: z.string().min(1).optional(),
  TURSO_GROUP: z.string().min(1).default('default'),
  TURSO_API_URL: z.url().optional(),
  /**
   * The public address of this API (`https://…`, no trailing slash): where residents and providers
   * open the links in messages, and the server the OpenAPI document names (never the caller's Host).
   */
  PUBLIC_BASE_URL: z
    .url()
    .default('http://127.0.0.1:8787')
    .transform((url) => url.replace(/\/+$/, '')),
  /** Messages: the Notify API (NotifyNL); without a key no message leaves (they wait a day, then fail). */
  NOTIFY_API_KEY: z.string().min(74).optional(),
  NOTIFY_BASE_URL: z.url().default('https://api.notifynl.nl'),
  /** Generic Notify templates: `((subject))` and `((body))` for e-mail, `((body))` for SMS. */
  NOTIFY_EMAIL_TEMPLATE_ID: z.uuid().optional(),
  NOTIFY_SMS_TEMPLATE_ID: z.uuid().optional(),
  /** `npm start` and tests only: webhooks may go to this machine's loopback addresses (http too). */
  WEBHOOKS_ALLOW_LOOPBACK: z.stringbool().default(false),
  /** How long a sender holds a claimed delivery before another may try it again (a crashed sender's). */
  OUTBOX_LEASE_MS: int(1_000, 600_000, 60_000),
  /** `npm start` only: the local Notify catcher, whose messages `GET /dev/messages` lists. */
  LOCAL_NOTIFY_URL: z.url().optional(),
});

/** The Worker's bindings, parsed once per isolate. */
export const EnvSchema = SettingsSchema.extend({
  /** `libsql://control-<org>.turso.io` in production; the local gateway's `…/control/` locally. */
  CONTROL_DB_URL: z.url(),
  CONTROL_DB_AUTH_TOKEN: z.string().min(1).optional(),
  /** Local development only: the Hrana endpoint that serves `file:` databases of the data folder. */
  LOCAL_LIBSQL_GATEWAY: z.url().optional(),
  /**
   * Where the client IP comes from. `cf-connecting-ip`: Cloudflare's edge sets that header and
   * replaces any a caller sent. `local` (wrangler dev, `npm start`): Miniflare fills the header only
   * when the caller did not send one, so it proves nothing; every caller counts as the one client
   * `local`.
   */
  CLIENT_IP_SOURCE: z.enum(['cf-connecting-ip', 'local']).default('cf-connecting-ip'),
});

/** Node only: the self-hosted server's own settings. */
export const NodeSettingsSchema = SettingsSchema.extend({
  /**
   * Behind a known reverse proxy: the header it sets to the client's address (`X-Real-IP`). Only
   * its last value counts (the one the proxy added). Unset: the socket's address, and any header a
   * caller sends is ignored.
   */
  TRUSTED_PROXY_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/)
    .optional(),
});

export type Settings = z.infer<typeof SettingsSchema>;
export type Env = z.infer<typeof EnvSchema>;
