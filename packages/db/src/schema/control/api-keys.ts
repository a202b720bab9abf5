import { sql } from 'drizzle-orm';
import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { tenants } from './tenants.ts';

export const SCOPES = [
  'requests:read',
  'requests:write',
  'requests:triage',
  'vouchers:read',
  'vouchers:issue',
  'vouchers:redeem',
  'reports:read',
  'tenant:admin',
  /** Webhook subscriptions of a partner system (also allowed with tenant:admin). */
  'webhooks:manage',
  /** Answer offers made to the key's own provider (a key created with `providerId`), nothing else. */
  'offers:respond',
  /** Payout batches and their bank files (also allowed with tenant:admin): finance, nothing else. */
  'payouts:manage',
] as const;
export type Scope = (typeof SCOPES)[number];

/** Partner organisations, and the municipality's own staff. */
export const KEY_KINDS = ['partner', 'staff'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

/** Tenant API keys. The key itself is never stored: only its SHA-256 and a short display prefix. */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    name: text('name').notNull(),
    kind: text('kind', { enum: KEY_KINDS }).notNull(),
    /** The first characters of the key, to recognise it in a list (`wt_partner_zeist_Ab3d`). */
    prefix: text('prefix').notNull(),
    /** Hex SHA-256 of the whole key. */
    hash: text('hash').notNull().unique(),
    scopes: text('scopes', { mode: 'json' }).$type<Scope[]>().notNull(),
    /** Set where the key acts as one provider of the tenant (its offers, its own ledger account). */
    providerId: text('provider_id'),
    expiresAt: text('expires_at'),
    revokedAt: text('revoked_at'),
    lastUsedAt: text('last_used_at'),
    /** Who created it: `platform-admin`, `key:<id>` or `cli`. */
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  },
  (t) => [index('api_keys_tenant_idx').on(t.tenantId)],
);

export type ApiKey = typeof apiKeys.$inferSelect;
export type NewApiKey = typeof apiKeys.$inferInsert;
