import { hasScope, type Scope } from '@wijkteams/access';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';
import { ApiError } from '../errors.ts';

/** Platform routes (onboarding, the tenant registry): the platform admin key only. */
export const requirePlatformAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const actor = c.get('actor');
  if (actor.type === 'anonymous')
    throw new ApiError('unauthorized', 'This route needs the platform admin key');
  if (actor.type !== 'platform-admin')
    throw new ApiError('forbidden', 'This route needs the platform admin key');
  await next();
};

/**
 * A tenant route that needs `scope`. Runs after resolveTenant, which has already refused keys of
 * other tenants; the platform admin holds every scope.
 */
export function requireScope(scope: Scope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const actor = c.get('actor');
    if (actor.type === 'anonymous')
      throw new ApiError('unauthorized', `This route needs a key with ${scope}`);
    if (!hasScope(actor, scope)) throw new ApiError('forbidden', `This key does not have the scope ${scope}`);
    await next();
  };
}

/** A tenant route that any one of `scopes` opens (`tenant:admin` or a narrower scope for the same). */
export function requireAnyScope(...scopes: Scope[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const actor = c.get('actor');
    if (actor.type === 'anonymous')
      throw new ApiError('unauthorized', `This route needs a key with ${scopes.join(' or ')}`);
    if (!scopes.some((scope) => hasScope(actor, scope)))
      throw new ApiError('forbidden', `This key has none of the scopes ${scopes.join(', ')}`);
    await next();
  };
}
