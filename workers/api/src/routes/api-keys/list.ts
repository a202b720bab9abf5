import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { listApiKeys, presentApiKey } from '@wijkteams/access';
import type { AppEnv } from '../../context.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { API_KEY_EXAMPLE, ApiKeySchema, TenantPathSchema, tenantRouteProblems } from '../schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/api-keys',
  operationId: 'listApiKeys',
  tags: ['API keys'],
  summary: 'The tenant’s API keys, revoked ones included; never the keys themselves',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: { params: TenantPathSchema },
  responses: {
    200: {
      description: 'The keys, newest first',
      content: {
        'application/json': {
          schema: z
            .object({ apiKeys: z.array(ApiKeySchema) })
            .openapi('ApiKeyList', { example: { apiKeys: [API_KEY_EXAMPLE] } }),
        },
      },
    },
    ...tenantRouteProblems(),
  },
});

export const registerListApiKeys = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const keys = await listApiKeys(c.get('control')(), c.get('tenant').id);
    return c.json({ apiKeys: keys.map(presentApiKey) }, 200);
  });
