import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { createTeam } from '@wijkteams/lookup';
import type { AppEnv } from '../../context.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { jsonBody, TeamSchema, TenantPathSchema, tenantRouteProblems } from '../schemas.ts';
import { recordTeamChange, TEAM_FIELDS, TeamKindSchema } from './shared.ts';

const { name, ...optional } = TEAM_FIELDS;
const NewTeamSchema = z
  .strictObject({ name, kind: TeamKindSchema, ...optional })
  .partial({
    description: true,
    street: true,
    postcode: true,
    city: true,
    phone: true,
    email: true,
    website: true,
    openingHours: true,
    accessibility: true,
    closureMessage: true,
    isDefaultIntake: true,
  })
  .openapi('NewTeam');

const route = createRoute({
  method: 'post',
  path: '/v1/{tenant}/teams',
  operationId: 'createTeam',
  tags: ['Teams'],
  summary: 'Add a team (onboarding: after the tenant, before its coverage)',
  description:
    'Mark one team `isDefaultIntake` so that the municipality takes requests before its coverage rules are imported; `PUT …/postcode-areas` then assigns postcodes to teams.',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: { params: TenantPathSchema, body: jsonBody(NewTeamSchema) },
  responses: {
    201: { description: 'The new team', content: { 'application/json': { schema: TeamSchema } } },
    ...tenantRouteProblems(),
  },
});

export const registerCreateTeam = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const tenant = c.get('tenant');
    const team = await createTeam(c.get('db')(), c.req.valid('json'));
    await recordTeamChange(c, team.id, 'team.created');
    c.header('Location', `/v1/${tenant.slug}/teams/${team.id}`);
    return c.json(team, 201);
  });
