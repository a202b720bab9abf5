import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { listRequestAudit } from '@wijkteams/intake';
import type { AppEnv } from '../../context.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { TenantPathSchema, tenantRouteProblems } from '../schemas.ts';
import { intakeContext } from './context.ts';

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
      reference: z.string().max(32).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: {
    200: {
      description: 'Audit events, newest first',
      content: {
        'application/json': {
          schema: z
            .object({ auditEvents: z.array(z.record(z.string(), z.unknown())) })
            .openapi('RequestAuditTrail'),
        },
      },
    },
    ...tenantRouteProblems(),
  },
});

export const registerRequestAudit = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const events = await listRequestAudit(await intakeContext(c), c.req.valid('query'));
    return c.json({ auditEvents: events as unknown as Record<string, unknown>[] }, 200);
  });
