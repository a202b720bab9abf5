import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requestReport } from '@wijkteams/intake';
import type { AppEnv } from '../../context.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { TenantPathSchema, tenantRouteProblems } from '../schemas.ts';
import { intakeContext, invalid } from './context.ts';

const Day = z.string().openapi({ format: 'date', example: '2026-01-01' });

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/request-reports',
  operationId: 'getRequestReport',
  tags: ['Requests'],
  summary: 'Counts per team, category, tier and month, and the share resolved per tier',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('reports:read')] as const,
  request: { params: TenantPathSchema, query: z.object({ from: Day, to: Day }) },
  responses: {
    200: {
      description: 'The report (receipt dates, Dutch calendar days, both inclusive)',
      content: { 'application/json': { schema: z.record(z.string(), z.unknown()).openapi('RequestReport') } },
    },
    ...tenantRouteProblems(),
  },
});

export const registerRequestReport = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const outcome = await requestReport(await intakeContext(c), c.req.valid('query'));
    if (!outcome.ok) throw invalid(outcome.invalidParams, 'query');
    return c.json(outcome.report as unknown as Record<string, unknown>, 200);
  });
