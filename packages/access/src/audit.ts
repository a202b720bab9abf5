import { type AuditEvent, auditEvents, type ControlDb, type NewAuditEvent, newId } from '@wijkteams/db';
import { and, desc, eq } from 'drizzle-orm';

export type AuditInput = Omit<NewAuditEvent, 'id' | 'at'>;

/** Appends to the audit log. Callers pass identifiers only: never a key, token or personal data. */
export async function recordAudit(control: ControlDb, event: AuditInput): Promise<void> {
  await control.insert(auditEvents).values({ id: newId('aud'), ...event });
}

export function listAudit(
  control: ControlDb,
  filter: { tenantId?: string; limit?: number } = {},
): Promise<AuditEvent[]> {
  return control
    .select()
    .from(auditEvents)
    .where(filter.tenantId ? and(eq(auditEvents.tenantId, filter.tenantId)) : undefined)
    .orderBy(desc(auditEvents.id))
    .limit(filter.limit ?? 100);
}
