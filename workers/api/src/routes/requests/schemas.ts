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
    houseNumber: z.number().int().min(1).max(99_999).optional(),
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
    }),
    consent: z.literal(true),
    preferredAt: z
      .string()
      .optional()
      .openapi({ format: 'date-time', description: 'Required where the category needs a date' }),
  })
  .openapi('HelpRequestIntake');

export const StatusSchema = z.enum(REQUEST_STATUSES).openapi('RequestStatus');

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
