import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { deleteTeam } from '@wijkteams/lookup';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { TeamPathSchema, tenantRouteProblems } from '../schemas.ts';
import { recordTeamChange } from './shared.ts';

const route = createRoute({
  method: 'delete',
  path: '/v1/{tenant}/teams/{teamId}',
  operationId: 'deleteTeam',
  tags: ['Teams'],
  summary: 'Remove a team that was never used (a duplicate, say)',
  description:
    'Only a team without history: no request was ever routed to it and no coverage rule names it (409 otherwise). A team with history is taken out of service with `PATCH … { "active": false }` instead.',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: { params: TeamPathSchema },
  responses: {
    204: { description: 'Removed' },
    ...tenantRouteProblems('not-found', 'conflict'),
  },
});

export const registerDeleteTeam = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const { teamId } = c.req.valid('param');
    const outcome = await deleteTeam(c.get('db')(), teamId);
    if (!outcome.ok) {
      switch (outcome.reason) {
        case 'not-found':
          throw new ApiError('not-found', 'This municipality has no such team');
        case 'has-requests':
          throw new ApiError(
            'conflict',
            'Requests were routed to this team, so it keeps its history; take it out of service with PATCH { "active": false }',
          );
        case 'has-coverage':
          throw new ApiError(
            'conflict',
            'Coverage rules name this team; replace the coverage without it (PUT …/postcode-areas) first, or take it out of service',
          );
      }
    }
    await recordTeamChange(c, teamId, 'team.deleted');
    return c.body(null, 204);
  });
