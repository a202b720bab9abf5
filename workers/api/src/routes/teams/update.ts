import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { updateTeam } from '@wijkteams/lookup';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { jsonBody, TeamPathSchema, TeamSchema, tenantRouteProblems } from '../schemas.ts';
import { recordTeamChange, TEAM_FIELDS } from './shared.ts';

const TeamPatchSchema = z
  .strictObject(TEAM_FIELDS)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Send at least one field')
  .openapi('TeamPatch');

const route = createRoute({
  method: 'patch',
  path: '/v1/{tenant}/teams/{teamId}',
  operationId: 'updateTeam',
  tags: ['Teams'],
  summary: 'Change a team’s details, such as a temporary closure message',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: {
    params: TeamPathSchema,
    body: jsonBody(TeamPatchSchema),
  },
  responses: {
    200: { description: 'The team as it now is', content: { 'application/json': { schema: TeamSchema } } },
    ...tenantRouteProblems('not-found'),
  },
});

export const registerUpdateTeam = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const team = await updateTeam(c.get('db')(), c.req.valid('param').teamId, c.req.valid('json'));
    if (!team) throw new ApiError('not-found', 'This municipality has no such team');
    await recordTeamChange(c, team.id, 'team.updated');
    return c.json(team, 200);
  });
