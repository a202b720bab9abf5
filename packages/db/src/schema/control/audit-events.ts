import { sql } from 'drizzle-orm';
import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const AUDIT_RESULTS = ['success', 'denied', 'failed'] as const;
export type AuditResult = (typeof AUDIT_RESULTS)[number];

/**
 * Append-only record of administrative actions: tenants onboarded, suspended; keys created,
 * revoked. Triggers (migration 0002) make UPDATE and DELETE impossible. Never holds a secret.
 */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: text('id').primaryKey(),
    at: text('at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
    /** `platform-admin`, `key:<id>`, `cli` or `system`. */
    actor: text('actor').notNull(),
    tenantId: text('tenant_id'),
    action: text('action').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id').notNull(),
    result: text('result', { enum: AUDIT_RESULTS }).notNull(),
    /** Where it came from: a client IP, `cli`, or `internal`. */
    origin: text('origin').notNull(),
  },
  (t) => [index('audit_events_tenant_idx').on(t.tenantId, t.at)],
);

export type AuditEvent = typeof auditEvents.$inferSelect;
export type NewAuditEvent = typeof auditEvents.$inferInsert;
