import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { auditTenantChange } from '../audit.ts';

/** Every change to a tenant's categories is in its audit log. */
export const auditCategoryChange = (
  c: Context<AppEnv>,
  slug: string,
  action: 'category.created' | 'category.updated',
) => auditTenantChange(c, { action, objectType: 'category', objectId: slug });
