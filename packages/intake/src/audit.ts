import { type RequestAuditRow, requestAudit, tenantDb } from '@wijkteams/db';
import { desc, eq } from 'drizzle-orm';
import type { IntakeContext } from './context.ts';

/** The tenant's request audit trail, newest first: who read or changed what, from where. */
export function listRequestAudit(
  ctx: IntakeContext,
  filter: { reference?: string; limit?: number } = {},
): Promise<RequestAuditRow[]> {
  return tenantDb(ctx.db)
    .select()
    .from(requestAudit)
    .where(filter.reference ? eq(requestAudit.reference, filter.reference) : undefined)
    .orderBy(desc(requestAudit.at), desc(requestAudit.id))
    .limit(Math.min(filter.limit ?? 100, 1000));
}
