import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { actorId, recordAudit } from '@wijkteams/access';
import { WEEKDAYS } from '@wijkteams/db';
import { updateTeam } from '@wijkteams/lookup';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { jsonBody, TeamPathSchema, TeamSchema, tenantRouteProblems } from '../schemas.ts';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const text = (max: number) => z.string().trim().min(1).max(max);

const TeamPatchSchema = z
  .strictObject({
    name: text(100).optional(),
    description: text(1000).nullable().optional(),
    street: text(200).nullable().optional(),
    postcode: text(10).nullable().optional(),
    city: text(100).nullable().optional(),
    phone: text(30).nullable().optional(),
    email: z.email().nullable().optional(),
    website: z.url().nullable().optional(),
    openingHours: z
      .partialRecord(
        z.enum(WEEKDAYS),
        z.array(z.strictObject({ opens: z.string().regex(TIME), closes: z.string().regex(TIME) })),
      )
      .optional(),
    accessibility: text(1000).nullable().optional(),
    closureMessage: text(500).nullable().optional().openapi({
      example: 'Vandaag gesloten vanwege code oranje. Bel bij spoed 14 050.',
      description: 'Shown to residents while set; null reopens the team',
    }),
  })
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
    const tenant = c.get('tenant');
    const runtime = c.get('runtime');
    const team = await updateTeam(c.get('db')(), c.req.valid('param').teamId, c.req.valid('json'));
    if (!team) throw new ApiError('not-found', 'This municipality has no such team');
    runtime.coverage.forget(tenant.id);
    await recordAudit(c.get('control')(), {
      actor: actorId(c.get('actor')),
      origin: runtime.clientIp(c),
      tenantId: tenant.id,
      action: 'team.updated',
      objectType: 'team',
      objectId: team.id,
      result: 'success',
    });
    return c.json(team, 200);
  });
