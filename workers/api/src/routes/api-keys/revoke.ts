import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { findApiKey, revokeApiKey, scopesNotHeld } from '@wijkteams/access';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { auditTenantChange } from '../audit.ts';
import { registerRoute } from '../register.ts';
import { EXAMPLE, idParam, TenantParam, tenantRouteProblems } from '../schemas.ts';

const route = createRoute({
  method: 'delete',
  path: '/v1/{tenant}/api-keys/{keyId}',
  operationId: 'revokeApiKey',
  tags: ['API keys'],
  summary: 'Revoke an API key',
  description:
    'Takes effect at once on the server that handles this request, and everywhere within the key cache TTL (30 s by default). Revoking a revoked key again is a 204 as well. A tenant admin may revoke only keys whose scopes it holds itself (it could have granted them); others are a 403.',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: {
    params: z.object({
      tenant: TenantParam,
      keyId: idParam('keyId', 'key', EXAMPLE.keyId),
    }),
  },
  responses: {
    204: { description: 'Revoked' },
    ...tenantRouteProblems('not-found'),
  },
});

export const registerRevokeApiKey = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const { keyId } = c.req.valid('param');
    const actor = c.get('actor');
    const tenant = c.get('tenant');
    const runtime = c.get('runtime');
    const control = c.get('control')();
    const target = await findApiKey(control, tenant.id, keyId);
    if (!target) throw new ApiError('not-found', 'This municipality has no such key');
    // As with creating keys: a tenant admin cannot take away what it could not have given.
    const beyond = scopesNotHeld(actor, target.scopes);
    if (beyond.length > 0) {
      await auditTenantChange(c, {
        action: 'key.revoke',
        objectType: 'api-key',
        objectId: target.id,
        result: 'denied',
      });
      throw new ApiError('forbidden', `This key cannot revoke a key with ${beyond.join(', ')}`);
    }
    const key = await revokeApiKey(control, tenant.id, keyId, new Date());
    if (!key) throw new ApiError('not-found', 'This municipality has no such key');
    runtime.keyCache.forget(key.hash);
    await auditTenantChange(c, { action: 'key.revoked', objectType: 'api-key', objectId: key.id });
    return c.body(null, 204);
  });
