import { sql } from 'drizzle-orm';
import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

import type { TenantSettings } from './tenant-settings.ts';

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
  /**
   * Starts every request reference (`GRO-2026-000123`): unique, chosen at onboarding, changeable
   * until the first request. Null only for a tenant onboarded before prefixes were stored whose
   * slug's first three letters another, older tenant already had; it keeps using those.
   */
  referencePrefix: text('reference_prefix').unique(),
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
