import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { REQUEST_STATUSES } from '@wijkteams/db';
import { requestReport } from '@wijkteams/intake';
import type { AppEnv } from '../../context.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { EXAMPLE, TenantPathSchema, tenantRouteProblems } from '../schemas.ts';
import { intakeContext, invalid } from './context.ts';

/** A calendar day that exists: 2026-02-30 is refused. */
const Day = z.iso.date({ error: 'A date that exists, YYYY-MM-DD' });
const Count = z.number().int().min(0);

const RequestReportSchema = z
  .object({
    from: z.iso.date().openapi({ description: 'Dutch calendar days of receipt, both inclusive' }),
    to: z.iso.date(),
    total: Count,
    resolved: Count.openapi({ description: 'Requests that reached `resolved` (and maybe `closed` since)' }),
    byTeam: z.array(z.object({ teamId: z.string(), teamName: z.string().nullable(), count: Count })),
    byCategory: z.array(z.object({ category: z.string(), count: Count })),
    byMonth: z.array(z.object({ month: z.string().openapi({ example: '2026-03' }), count: Count })),
    byStatus: z.array(z.object({ status: z.enum(REQUEST_STATUSES), count: Count })),
    byTier: z
      .array(
        z.object({
          tier: z.string().nullable().openapi({ description: 'Null: never triaged' }),
          count: Count,
          resolved: Count,
          shareOfResolved: z.number().min(0).max(1).openapi({ description: 'Of all resolved requests' }),
        }),
      )
      .openapi({
        description: 'In ladder order; tiers no longer on the ladder after it, never triaged last',
      }),
  })
  .openapi('RequestReport', {
    example: {
      from: '2026-01-01',
      to: '2026-03-31',
      total: 10,
      resolved: 7,
      byTeam: [{ teamId: EXAMPLE.teamId, teamName: 'WIJ Centrum', count: 10 }],
      byCategory: [
        { category: 'odd-jobs', count: 6 },
        { category: 'transport', count: 4 },
      ],
      byMonth: [
        { month: '2026-02', count: 3 },
        { month: '2026-03', count: 7 },
      ],
      byStatus: [
        { status: 'resolved', count: 7 },
        { status: 'triaged', count: 3 },
      ],
      byTier: [
        { tier: 'volunteers', count: 7, resolved: 5, shareOfResolved: 0.7143 },
        { tier: 'woonservice', count: 2, resolved: 2, shareOfResolved: 0.2857 },
        { tier: null, count: 1, resolved: 0, shareOfResolved: 0 },
      ],
    },
  });

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/request-reports',
  operationId: 'getRequestReport',
  tags: ['Requests'],
  summary: 'Counts per team, category, tier and month, and the share resolved per tier',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('reports:read')] as const,
  request: {
    params: TenantPathSchema,
    query: z.object({
      from: Day.openapi({ example: '2026-01-01' }),
      to: Day.openapi({ example: '2026-03-31' }),
    }),
  },
  responses: {
    200: {
      description: 'The report (receipt dates, Dutch calendar days, both inclusive)',
      content: { 'application/json': { schema: RequestReportSchema } },
    },
    ...tenantRouteProblems(),
  },
});

export const registerRequestReport = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const outcome = await requestReport(await intakeContext(c), c.req.valid('query'));
    if (!outcome.ok) throw invalid(outcome.invalidParams, 'query');
    return c.json(outcome.report, 200);
  });
