import { z } from '@hono/zod-openapi';
import { REQUEST_STATUSES } from '@wijkteams/db';

export const ReferenceParam = z
  .string()
  .max(32)
  .openapi({ param: { name: 'reference', in: 'path' }, example: 'GRO-2026-000123' });

/**
 * The intake body as documented. The intake domain checks the body itself (stricter: e-mail and
 * phone formats, one of them required, the tenant's categories and lead times), so that one 400
 * names every problem; see `bodyCheckedByHandler` in register.ts.
 */
export const IntakeBodySchema = z
  .strictObject({
    postcode: z.string().max(32).openapi({ example: '9712 CP' }),
    houseNumber: z.number().int().min(1).max(99_999).optional().openapi({ example: 12 }),
    houseLetter: z
      .string()
      .regex(/^[A-Za-z]$/)
      .optional()
      .openapi({ example: 'a', description: 'The BAG house letter: one letter, stored in upper case' }),
    houseNumberAddition: z
      .string()
      .regex(/^[A-Za-z0-9]{1,4}$/)
      .optional()
      .openapi({ example: '2', description: 'The BAG house-number addition: 1 to 4 letters or digits' }),
    category: z
      .string()
      .min(1)
      .max(64)
      .openapi({ example: 'odd-jobs', description: 'See GET /{tenant}/categories' }),
    description: z.string().min(1).max(4_000).openapi({ example: 'Een lamp ophangen in de woonkamer.' }),
    contact: z.strictObject({
      name: z.string().min(1).max(200),
      email: z.string().max(254).optional(),
      phone: z.string().max(32).optional(),
      preferredChannel: z
        .enum(['email', 'phone'])
        .optional()
        .openapi({ description: 'How the resident would rather be contacted; needs that detail' }),
    }),
    consent: z.literal(true),
    language: z
      .enum(['nl', 'en'])
      .optional()
      .openapi({ description: 'The language of the messages to the resident (default nl)' }),
    shareWithProvider: z.boolean().optional().openapi({
      description:
        'Separate, optional consent: the provider who will help may read the description (default false)',
    }),
    preferredAt: z
      .string()
      .optional()
      .openapi({ format: 'date-time', description: 'Required where the category needs a date' }),
  })
  .openapi('HelpRequestIntake');

export const StatusSchema = z.enum(REQUEST_STATUSES).openapi('RequestStatus');

/** What the holder of a status token sees: no personal data. */
export const PublicStatusSchema = z
  .object({
    reference: z.string().openapi({ example: 'GRO-2026-000123' }),
    status: StatusSchema,
    receivedAt: z.string().datetime().openapi({ example: '2026-03-02T09:00:00.000Z' }),
    lastChangedAt: z.string().datetime().openapi({ example: '2026-03-02T10:15:00.000Z' }),
    slaDueAt: z.string().datetime().openapi({ example: '2026-03-09T09:00:00.000Z' }),
    team: z.object({ id: z.string(), name: z.string() }).openapi({
      description: 'The team that has the request; GET /v1/{tenant}/teams/{teamId} gives its contact details',
      example: { id: 'team_01JQ3Z8Y2K4M6N8P0R2T4V6X8Z', name: 'WIJ Centrum' },
    }),
    timeline: z.array(z.object({ status: StatusSchema, at: z.string().datetime() })).openapi({
      description: 'Every status the request has had, oldest first',
      example: [
        { status: 'received', at: '2026-03-02T09:00:00.000Z' },
        { status: 'triaged', at: '2026-03-02T10:15:00.000Z' },
      ],
    }),
    withdrawable: z
      .boolean()
      .openapi({ description: 'Not yet accepted: POST …/withdrawal withdraws it', example: true }),
  })
  .openapi('PublicRequestStatus');

/** The status token, sent as a header so that it never lands in a URL or a log. */
export const StatusTokenHeaders = z.object({
  'status-token': z.string().min(16).max(128).openapi({
    description: 'The statusToken from the intake answer',
    example: 'q3J8d0x1c7NfVb2kLm9sTz4wYh6pRa5eUg0iOj3KtQE',
  }),
});

export const SummarySchema = z
  .object({
    reference: z.string(),
    status: StatusSchema,
    category: z.string(),
    team: z.object({ id: z.string(), name: z.string().nullable() }),
    routedToDefault: z.boolean(),
    area: z.string().openapi({ description: 'The PC4 area only' }),
    tier: z.string().nullable(),
    providerId: z.string().nullable(),
    submittedBy: z.object({ kind: z.string(), keyId: z.string().nullable() }),
    preferredAt: z.string().nullable(),
    receivedAt: z.string().datetime(),
    statusChangedAt: z.string().datetime(),
    slaDueAt: z.string().datetime(),
    overdue: z.boolean(),
    anonymised: z.boolean(),
  })
  .openapi('HelpRequestSummary');
