import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { listRequestAudit } from '@wijkteams/intake';
import type { AppEnv } from '../../context.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { TenantPathSchema, tenantRouteProblems } from '../schemas.ts';
import { intakeContext } from './context.ts';
import { REQUEST_EXAMPLE, RequestAuditEventSchema } from './schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/request-audit-events',
  operationId: 'listRequestAuditEvents',
  tags: ['Requests', 'Audit'],
  summary: 'Who read or changed which request, when, from where, with what result',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: {
    params: TenantPathSchema,
    query: z.object({
      reference: z.string().max(32).optional().openapi({ example: REQUEST_EXAMPLE.reference }),
      limit: z.coerce.number().int().min(1).max(500).default(100).openapi({ example: 100 }),
    }),
  },
  responses: {
    200: {
      description: 'Audit events, newest first',
      content: {
        'application/json': {
          schema: z.object({ auditEvents: z.array(RequestAuditEventSchema) }).openapi('RequestAuditTrail', {
            example: {
              auditEvents: [
                {
                  id: 'aud_01jdq3b5d7f9h1k3m5p7r9t1vx',
                  at: '2026-03-02T10:40:00.000Z',
                  actor: 'key:key_01jdq2w1m3n5p7q9r2s4t6v8xa',
                  action: 'request.read',
                  reference: REQUEST_EXAMPLE.reference,
                  result: 'success',
                  origin: '203.0.113.7',
                  detail: null,
                },
              ],
            },
          }),
        },
      },
    },
    ...tenantRouteProblems(),
  },
});

export const registerRequestAudit = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const events = await listRequestAudit(await intakeContext(c), c.req.valid('query'));
    return c.json({ auditEvents: events }, 200);
  });
