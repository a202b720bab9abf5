import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { listTeams } from '@wijkteams/lookup';
import type { AppEnv } from '../../context.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
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
  app.openapi(route, async (c) => c.json({ teams: await listTeams(c.var.db) }, 200));
