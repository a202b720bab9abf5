import { sql } from 'drizzle-orm';
import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Per-tenant settings, with defaults applied where a field is missing. */
export interface TenantSettings {
  /** Browser origins allowed to call this tenant's non-public routes (CORS). */
  corsOrigins?: string[];
  /** Requests per minute per API key. */
  keyRateLimitPerMinute?: number;
  /** Requests per minute per client IP on this tenant's public routes. */
  publicRateLimitPerMinute?: number;
}

export const TENANT_STATUSES = ['provisioning', 'active', 'suspended', 'failed'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

/** One row per municipality. Its data lives in its own database at `databaseUrl`. */
export const tenants = sqliteTable('tenants', {
  id: text('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  /** CBS municipality code, e.g. GM0014 for Groningen. */
  municipalityCode: text('municipality_code').notNull().unique(),
  /** `libsql://…` (Turso) in production; `file:tenants/<slug>.db`, relative to the data folder, locally. */
  databaseUrl: text('database_url').notNull(),
  status: text('status', { enum: TENANT_STATUSES }).notNull().default('provisioning'),
  settings: text('settings', { mode: 'json' }).$type<TenantSettings>().notNull().default({}),
  /** SHA-256 of the onboarding request, so a retry with the same body is recognised as one. */
  requestHash: text('request_hash'),
  /** Why provisioning failed, for the operator; cleared when it succeeds. */
  lastError: text('last_error'),
  createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  updatedAt: text('updated_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
});

export type Tenant = typeof tenants.$inferSelect;
export type NewTenant = typeof tenants.$inferInsert;
