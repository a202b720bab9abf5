import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { listAudit } from '@wijkteams/access';
import { AUDIT_RESULTS } from '@wijkteams/db';
import type { AppEnv } from '../../context.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { EXAMPLE, TenantPathSchema, tenantRouteProblems } from '../schemas.ts';

const AuditEventObject = z.object({
  id: z.string(),
  at: z.string().datetime(),
  actor: z.string().openapi({ example: `key:${EXAMPLE.keyId}` }),
  action: z.string().openapi({ example: 'key.revoked' }),
  objectType: z.string(),
  objectId: z.string(),
  result: z.enum(AUDIT_RESULTS),
  origin: z.string().openapi({ description: 'The client IP, or `cli`' }),
});

const AUDIT_EVENT_EXAMPLE: z.infer<typeof AuditEventObject> = {
  id: 'aud_01jdq2z9d1f3h5k7m9p1r3t5vx',
  at: EXAMPLE.at,
  actor: `key:${EXAMPLE.keyId}`,
  action: 'key.revoked',
  objectType: 'api-key',
  objectId: EXAMPLE.keyId,
  result: 'success',
  origin: '203.0.113.7',
};

const AuditEventSchema = AuditEventObject.openapi('AuditEvent', { example: AUDIT_EVENT_EXAMPLE });

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/audit-events',
  operationId: 'listAuditEvents',
  tags: ['Audit'],
  summary: 'The tenant’s audit trail of administrative actions, newest first',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: {
    params: TenantPathSchema,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(100).openapi({ example: 100 }),
    }),
  },
  responses: {
    200: {
      description: 'Audit events',
      content: {
        'application/json': {
          schema: z
            .object({ auditEvents: z.array(AuditEventSchema) })
            .openapi('AuditEventList', { example: { auditEvents: [AUDIT_EVENT_EXAMPLE] } }),
        },
      },
    },
    ...tenantRouteProblems(),
  },
});

export const registerListAuditEvents = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const events = await listAudit(c.get('control')(), {
      tenantId: c.get('tenant').id,
      limit: c.req.valid('query').limit,
    });
    return c.json({ auditEvents: events.map(({ tenantId: _, ...event }) => event) }, 200);
  });
