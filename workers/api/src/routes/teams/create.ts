import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { createTeam } from '@wijkteams/lookup';
import type { AppEnv } from '../../context.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import {
  EXAMPLE,
  jsonBody,
  locationHeader,
  TeamSchema,
  TenantPathSchema,
  tenantRouteProblems,
} from '../schemas.ts';
import { checkTeamBody, recordTeamChange, TEAM_FIELDS, unknownKind } from './shared.ts';

const { name, kind, ...optional } = TEAM_FIELDS;
const NewTeamSchema = z
  .strictObject({ name, kind, ...optional })
  .partial({
    kindName: true,
    description: true,
    address: true,
    phone: true,
    email: true,
    website: true,
    openingHours: true,
    accessibility: true,
    closureMessage: true,
    isDefaultIntake: true,
    isExample: true,
    active: true,
  })
  .openapi('NewTeam', {
    example: {
      name: 'Buurtteam Vathorst',
      kind: 'buurtteam',
      kindName: { nl: 'Buurtteam', en: 'Neighbourhood team' },
      phone: '033 469 44 44',
      isDefaultIntake: true,
    },
  });

const route = createRoute({
  method: 'post',
  path: '/v1/{tenant}/teams',
  operationId: 'createTeam',
  tags: ['Teams'],
  summary: 'Add a team (onboarding: after the tenant, before its coverage)',
  description:
    'Mark one team `isDefaultIntake` so that the municipality takes requests before its coverage rules are imported; `PUT …/postcode-areas` then assigns postcodes to teams. `kind` is one of the municipality’s kinds (the launch kinds come with every tenant); a new one needs `kindName`.',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: { params: TenantPathSchema, body: jsonBody(NewTeamSchema) },
  responses: {
    201: {
      description: 'The new team',
      headers: locationHeader(`/v1/${EXAMPLE.tenant}/teams/${EXAMPLE.teamId}`),
      content: { 'application/json': { schema: TeamSchema } },
    },
    ...tenantRouteProblems(),
  },
});

export const registerCreateTeam = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(
    app,
    route,
    async (c) => {
      const tenant = c.get('tenant');
      const outcome = await createTeam(c.get('db')(), await checkTeamBody(c, NewTeamSchema));
      if (!outcome.ok) throw unknownKind(outcome.reason === 'unknown-kind' ? outcome.kind : '');
      await recordTeamChange(c, outcome.team.id, 'team.created');
      c.header('Location', `/v1/${tenant.slug}/teams/${outcome.team.id}`);
      return c.json(outcome.team, 201);
    },
    { bodyCheckedByHandler: true },
  );
