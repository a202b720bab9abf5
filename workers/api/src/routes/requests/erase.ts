import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { eraseRequest } from '@wijkteams/intake';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { EXAMPLE, TenantParam, tenantRouteProblems } from '../schemas.ts';
import { intakeActor, intakeContext } from './context.ts';
import { REQUEST_EXAMPLE, ReferenceParam } from './schemas.ts';

const route = createRoute({
  method: 'delete',
  path: '/v1/{tenant}/requests/{reference}',
  operationId: 'eraseRequest',
  tags: ['Requests'],
  summary: 'Erase the personal data of a request (AVG); anonymous statistics stay',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: { params: z.object({ tenant: TenantParam, reference: ReferenceParam }) },
  responses: {
    200: {
      description: 'Erased (or already erased)',
      content: {
        'application/json': {
          schema: z
            .object({
              reference: z.string(),
              erasedAt: z.string().datetime(),
              alreadyErased: z.boolean(),
            })
            .openapi('ErasedRequest', {
              example: {
                reference: REQUEST_EXAMPLE.reference,
                erasedAt: EXAMPLE.later,
                alreadyErased: false,
              },
            }),
        },
      },
    },
    ...tenantRouteProblems('not-found'),
  },
});

export const registerEraseRequest = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const outcome = await eraseRequest(
      await intakeContext(c),
      c.req.valid('param').reference,
      intakeActor(c.get('actor')),
    );
    if (!outcome.ok) throw new ApiError('not-found', 'This municipality has no such request');
    const { ok: _, ...erased } = outcome;
    return c.json(erased, 200);
  });
