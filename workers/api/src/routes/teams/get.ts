import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { IncludeQuerySchema, includesInactive } from '../include-inactive.ts';
import { registerRoute } from '../register.ts';
import { publicTenantProblems, TeamPathSchema, TeamSchema } from '../schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/teams/{teamId}',
  operationId: 'getTeam',
  tags: ['Teams'],
  summary: 'One team with its contact details',
  description: 'A team out of service is a 404, except with `?include=inactive` and `tenant:admin`.',
  middleware: [resolveTenant] as const,
  request: { params: TeamPathSchema, query: IncludeQuerySchema },
  responses: {
    200: { description: 'The team', content: { 'application/json': { schema: TeamSchema } } },
    ...publicTenantProblems('not-found'),
  },
});

export const registerGetTeam = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const includeInactive = includesInactive(c, c.req.valid('query').include);
    const index = await c.get('runtime').coverage.index(c.get('tenant').id, c.get('db'));
    const team = index.team(c.req.valid('param').teamId, { includeInactive });
    if (!team) throw new ApiError('not-found', 'This municipality has no such team');
    if (!includeInactive) c.header('Cache-Control', 'public, max-age=60');
    return c.json(team, 200);
  });
