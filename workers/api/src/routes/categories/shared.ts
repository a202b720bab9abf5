import { actorId, recordAudit } from '@wijkteams/access';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';

/** Every change to a tenant's categories is in its audit log. */
export function auditCategoryChange(
  c: Context<AppEnv>,
  slug: string,
  action: 'category.created' | 'category.updated',
) {
  const tenant = c.get('tenant');
  const runtime = c.get('runtime');
  return recordAudit(c.get('control')(), {
    actor: actorId(c.get('actor')),
    origin: runtime.clientIp(c),
    tenantId: tenant.id,
    action,
    objectType: 'category',
    objectId: slug,
    result: 'success',
  });
}
