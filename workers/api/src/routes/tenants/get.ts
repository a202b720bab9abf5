import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { findTenant } from '@wijkteams/tenants';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requirePlatformAdmin } from '../../middleware/authorize.ts';
import { registerRoute } from '../register.ts';
import { platformProblems, TenantPathSchema, TenantSchema } from '../schemas.ts';
import { presentTenant } from './present.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/tenants/{tenant}',
  operationId: 'getTenant',
  tags: ['Tenants'],
  summary: 'One municipality and its provisioning status',
  security: [{ bearer: [] }],
  middleware: [requirePlatformAdmin] as const,
  request: { params: TenantPathSchema },
  responses: {
    200: { description: 'The tenant', content: { 'application/json': { schema: TenantSchema } } },
    ...platformProblems('tenant-not-found'),
  },
});

export const registerGetTenant = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const { tenant: slug } = c.req.valid('param');
    const tenant = await findTenant(c.get('control')(), slug);
    if (!tenant)
      throw new ApiError('tenant-not-found', `There is no municipality '${slug.slice(0, 64)}' here`);
    return c.json(presentTenant(tenant), 200);
  });
