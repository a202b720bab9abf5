import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { updateTeam } from '@wijkteams/lookup';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { jsonBody, TeamPathSchema, TeamSchema, tenantRouteProblems } from '../schemas.ts';
import { checkTeamBody, recordTeamChange, TEAM_FIELDS, unknownKind } from './shared.ts';

/** Every field a team answer has, so an answer can be sent back as it is; `id` must be the team's own. */
const TeamPatchSchema = z
  .strictObject({ id: z.string().optional(), ...TEAM_FIELDS })
  .partial()
  .refine((patch) => Object.keys(patch).some((key) => key !== 'id'), 'Send at least one field')
  .openapi('TeamPatch', {
    minProperties: 1,
    description: 'Only the fields sent change; `{}` (or only `id`) is refused. `null` clears a field.',
    example: { closureMessage: 'Vandaag gesloten vanwege code oranje. Bel bij spoed 14 050.' },
  });

const route = createRoute({
  method: 'patch',
  path: '/v1/{tenant}/teams/{teamId}',
  operationId: 'updateTeam',
  tags: ['Teams'],
  summary: 'Change a team’s details, close it for a while, or take it out of service',
  description:
    'Takes what `GET` answers. `{ "active": false }` takes the team out of lists, lookups and routing: its coverage rules stop applying and lookups fall back as if they were not there; `{ "active": true }` restores it. `address` changes only the keys sent.',
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
  registerRoute(
    app,
    route,
    async (c) => {
      const { teamId } = c.req.valid('param');
      const { id, ...patch } = await checkTeamBody(c, TeamPatchSchema);
      if (id !== undefined && id !== teamId) {
        throw new ApiError('validation-failed', 'The body names another team', {
          invalidParams: [{ name: 'body.id', reason: 'Not the id of the team in the path' }],
        });
      }
      const outcome = await updateTeam(c.get('db')(), teamId, patch);
      if (!outcome.ok) {
        if (outcome.reason === 'unknown-kind') throw unknownKind(outcome.kind);
        throw new ApiError('not-found', 'This municipality has no such team');
      }
      const action =
        outcome.wasActive !== outcome.team.active
          ? outcome.team.active
            ? 'team.reactivated'
            : 'team.deactivated'
          : 'team.updated';
      await recordTeamChange(c, outcome.team.id, action);
      return c.json(outcome.team, 200);
    },
    { bodyCheckedByHandler: true },
  );
