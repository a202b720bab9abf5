import { z } from '@hono/zod-openapi';
import { hasScope } from '@wijkteams/access';
import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';
import { ApiError } from '../errors.ts';

/** `?include=inactive` on a public list: what is out of service, for the tenant's admin only. */
export const IncludeQuerySchema = z.object({
  include: z
    .enum(['inactive'])
    .optional()
    .openapi({ description: 'With `tenant:admin`: also what is out of service' }),
});

/** True where the caller asked for inactive entries and may see them; refused (401, 403) where it may not. */
export function includesInactive(c: Context<AppEnv>, include: 'inactive' | undefined): boolean {
  if (include !== 'inactive') return false;
  const actor = c.get('actor');
  if (actor.type === 'anonymous')
    throw new ApiError('unauthorized', 'Inactive entries need a tenant:admin key');
  if (!hasScope(actor, 'tenant:admin')) throw new ApiError('forbidden', 'Inactive entries need tenant:admin');
  c.header('Cache-Control', 'private, no-store');
  return true;
}
