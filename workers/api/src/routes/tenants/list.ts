import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { listTenants } from '@wijkteams/tenants';
import type { AppEnv } from '../../context.ts';
import { requirePlatformAdmin } from '../../middleware/authorize.ts';
import { registerRoute } from '../register.ts';
import { platformProblems, TENANT_EXAMPLE, TenantSchema } from '../schemas.ts';
import { presentTenant } from './present.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/tenants',
  operationId: 'listTenants',
  tags: ['Tenants'],
  summary: 'All onboarded municipalities',
  security: [{ bearer: [] }],
  middleware: [requirePlatformAdmin] as const,
  responses: {
    200: {
      description: 'The tenants',
      content: {
        'application/json': {
          schema: z
            .object({ tenants: z.array(TenantSchema) })
            .openapi('TenantList', { example: { tenants: [TENANT_EXAMPLE] } }),
        },
      },
    },
    ...platformProblems(),
  },
});

export const registerListTenants = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const tenants = await listTenants(c.get('control')());
    return c.json({ tenants: tenants.map(presentTenant) }, 200);
  });
