import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { listRequests, MAX_PAGE } from '@wijkteams/intake';
import type { AppEnv } from '../../context.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { TenantPathSchema, tenantRouteProblems } from '../schemas.ts';
import { intakeContext } from './context.ts';
import { StatusSchema, SUMMARY_EXAMPLE, SummarySchema } from './schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/requests',
  operationId: 'listRequests',
  tags: ['Requests'],
  summary: 'Help requests, newest first, without personal data; filter by status, team, category, overdue',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('requests:read')] as const,
  request: {
    params: TenantPathSchema,
    query: z.object({
      status: StatusSchema.optional(),
      team: z
        .string()
        .max(64)
        .optional()
        .openapi({ description: 'A team id', example: SUMMARY_EXAMPLE.team.id }),
      category: z.string().max(64).optional().openapi({ example: 'odd-jobs' }),
      overdue: z.enum(['true', 'false']).optional(),
      cursor: z.string().max(200).optional().openapi({ description: '`nextCursor` of the page before' }),
      limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50).openapi({ example: 50 }),
    }),
  },
  responses: {
    200: {
      description: 'A page of requests',
      content: {
        'application/json': {
          schema: z
            .object({
              requests: z.array(SummarySchema),
              nextCursor: z.string().nullable().openapi({ description: 'Null on the last page' }),
            })
            .openapi('HelpRequestPage', { example: { requests: [SUMMARY_EXAMPLE], nextCursor: null } }),
        },
      },
    },
    ...tenantRouteProblems(),
  },
});

export const registerListRequests = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const { overdue, ...filters } = c.req.valid('query');
    const page = await listRequests(await intakeContext(c), {
      ...filters,
      ...(overdue === undefined ? {} : { overdue: overdue === 'true' }),
    });
    return c.json({ requests: page.items, nextCursor: page.nextCursor ?? null }, 200);
  });
