import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { IncludeQuerySchema, includesInactive } from '../include-inactive.ts';
import { registerRoute } from '../register.ts';
import { publicTenantProblems, TEAM_EXAMPLE, TeamSchema, TenantPathSchema } from '../schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/teams',
  operationId: 'listTeams',
  tags: ['Teams'],
  summary: 'The municipality’s social teams with their contact details',
  description:
    'The teams in service; `?include=inactive` (with `tenant:admin`) lists those out of service too.',
  middleware: [resolveTenant] as const,
  request: { params: TenantPathSchema, query: IncludeQuerySchema },
  responses: {
    200: {
      description: 'The teams of the municipality',
      content: {
        'application/json': {
          schema: z
            .object({ teams: z.array(TeamSchema) })
            .openapi('TeamList', { example: { teams: [TEAM_EXAMPLE] } }),
        },
      },
    },
    ...publicTenantProblems(),
  },
});

export const registerListTeams = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const all = includesInactive(c, c.req.valid('query').include);
    const index = await c.get('runtime').coverage.index(c.get('tenant').id, c.get('db'));
    if (!all) c.header('Cache-Control', 'public, max-age=60');
    return c.json({ teams: all ? index.allTeams : index.teams }, 200);
  });
