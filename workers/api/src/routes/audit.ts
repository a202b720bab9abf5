import { actorId, recordAudit } from '@wijkteams/access';
import type { AuditResult } from '@wijkteams/db';
import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';

/** An administrative change to the tenant of this request, in its audit log: who, from where, what. */
export function auditTenantChange(
  c: Context<AppEnv>,
  event: { action: string; objectType: string; objectId: string; result?: AuditResult },
): Promise<void> {
  const runtime = c.get('runtime');
  return recordAudit(c.get('control')(), {
    actor: actorId(c.get('actor')),
    origin: runtime.clientIp(c),
    tenantId: c.get('tenant').id,
    result: 'success',
    ...event,
  });
}
