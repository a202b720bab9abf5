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
/** A slot may run to midnight: `24:00`. */
const CLOSING_TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const text = (max: number) => z.string().trim().min(1).max(max);

/** Slots of one day: each closes after it opens, the same day, and none overlaps another. */
const DaySlots = z
  .array(
    z
      .strictObject({
        opens: z.string().regex(TIME, 'HH:MM, from 00:00 to 23:59'),
        closes: z.string().regex(CLOSING_TIME, 'HH:MM, from 00:01 to 24:00'),
      })
      .refine((slot) => slot.closes > slot.opens, {
        message: 'Closes after it opens, on the same day (24:00 for midnight)',
        path: ['closes'],
      }),
  )
  .max(6)
  .refine(
    (slots) => {
      const sorted = [...slots].sort((a, b) => a.opens.localeCompare(b.opens));
      return sorted.every((slot, i) => i === 0 || (sorted[i - 1]?.closes ?? '') <= slot.opens);
    },
    { message: 'The slots of a day overlap' },
  );

/** Digits, spaces, `+ ( ) - .`: a number a phone can dial. A note (`keuze 2`) belongs in the description. */
const PHONE = /^\+?[\d\s().-]{3,30}$/;

const TeamPatchSchema = z
  .strictObject({
    name: text(100).optional(),
    description: text(1000).nullable().optional(),
    street: text(200).nullable().optional(),
    postcode: text(10).nullable().optional(),
    city: text(100).nullable().optional(),
    phone: text(30)
      .regex(PHONE, 'Digits, spaces and + ( ) - . only, e.g. 050 367 91 00 or +31 50 367 91 00')
      .nullable()
      .optional(),
    email: z.email().nullable().optional(),
    website: z.url().nullable().optional(),
    openingHours: z.partialRecord(z.enum(WEEKDAYS), DaySlots).optional(),
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
