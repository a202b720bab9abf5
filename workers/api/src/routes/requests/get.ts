import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { readRequest } from '@wijkteams/intake';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { TenantParam, tenantRouteProblems } from '../schemas.ts';
import { intakeActor, intakeContext } from './context.ts';
import { DetailSchema, ReferenceParam } from './schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/requests/{reference}',
  operationId: 'getRequest',
  tags: ['Requests'],
  summary: 'One request with its personal data, decrypted; every read is audit-logged',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('requests:read')] as const,
  request: { params: z.object({ tenant: TenantParam, reference: ReferenceParam }) },
  responses: {
    200: { description: 'The request', content: { 'application/json': { schema: DetailSchema } } },
    ...tenantRouteProblems('not-found'),
  },
});

export const registerGetRequest = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const ctx = await intakeContext(c);
    const outcome = await readRequest(
      ctx,
      c.req.valid('param').reference,
      intakeActor(c.get('actor')),
      ctx.origin ?? 'unknown',
    );
    if (!outcome.ok) throw new ApiError('not-found', 'This municipality has no such request');
    return c.json(outcome.request, 200);
  });
