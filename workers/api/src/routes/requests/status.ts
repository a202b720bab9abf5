import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { publicStatus } from '@wijkteams/intake';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { publicTenantProblems, TenantParam } from '../schemas.ts';
import { intakeContext } from './context.ts';
import { PublicStatusSchema, ReferenceParam, StatusTokenHeaders } from './schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/requests/{reference}/status',
  operationId: 'getRequestStatus',
  tags: ['Requests'],
  summary: 'Status and dates of a request, for the resident who holds its status token; no personal data',
  middleware: [resolveTenant] as const,
  request: {
    params: z.object({ tenant: TenantParam, reference: ReferenceParam }),
    headers: StatusTokenHeaders,
  },
  responses: {
    200: {
      description: 'Status and dates',
      content: {
        'application/json': {
          schema: PublicStatusSchema,
        },
      },
    },
    ...publicTenantProblems('not-found'),
  },
});

export const registerRequestStatus = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const outcome = await publicStatus(
      await intakeContext(c),
      c.req.valid('param').reference,
      c.req.valid('header')['status-token'],
    );
    // A wrong token and an unknown reference look the same, so neither can be probed.
    if (!outcome.ok) throw new ApiError('not-found', 'No request with this reference and token');
    return c.json(outcome.status, 200);
  });
