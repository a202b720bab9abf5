import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { problemResponses, TeamSchema, TenantPathSchema } from '../schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/teams',
  operationId: 'listTeams',
  tags: ['Teams'],
  summary: 'The municipality’s social teams with their contact details',
  middleware: [resolveTenant] as const,
  request: { params: TenantPathSchema },
  responses: {
    200: {
      description: 'All teams of the municipality',
      content: { 'application/json': { schema: z.object({ teams: z.array(TeamSchema) }) } },
    },
    ...problemResponses('tenant-not-found', 'tenant-suspended', 'tenant-unavailable'),
  },
});

export const registerListTeams = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const index = await c.get('runtime').coverage.index(c.get('tenant').id, c.get('db'));
    c.header('Cache-Control', 'public, max-age=60');
    return c.json({ teams: index.teams }, 200);
  });
