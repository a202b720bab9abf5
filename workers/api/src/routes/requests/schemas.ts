import { z } from '@hono/zod-openapi';
import {
  REQUEST_AUDIT_ACTIONS,
  REQUEST_AUDIT_RESULTS,
  REQUEST_STATUSES,
  SUBMITTER_KINDS,
  textLine,
  textLines,
} from '@wijkteams/db';
import { CONTACT_PHONE_PATTERN, MAX_DESCRIPTION_LENGTH, REFERENCE_PATTERN } from '@wijkteams/intake';
import { POSTCODE_AS_TYPED, POSTCODE_REASON } from '../postcodes/shared.ts';
import { EXAMPLE } from '../schemas.ts';

export const REQUEST_EXAMPLE = {
  reference: 'GRO-2026-000123',
  statusToken: 'st_Qm9vZ2xlLWlzLW5vdC1hLXRva2VuLWp1c3QtYW4tZXhhbXBsZQ',
  slaDueAt: '2026-03-07T09:15:00.000Z',
} as const;

export const ReferenceParam = z
  .string()
  .max(32)
  .openapi({
    param: { name: 'reference', in: 'path' },
    example: REQUEST_EXAMPLE.reference,
    description: `The request's reference (${REFERENCE_PATTERN.source}); any other value is simply not found`,
  });

/**
 * The intake body as documented. The intake domain checks the body itself (the tenant's
 * categories and lead times besides), so that one 400 names every problem; see
 * `bodyCheckedByHandler` in register.ts. This schema says what that check says.
 */
export const IntakeBodySchema = z
  .strictObject({
    postcode: z
      .string()
      .max(32)
      .regex(POSTCODE_AS_TYPED, POSTCODE_REASON)
      .openapi({ example: '9712 CP', description: 'Forgiving, as in the lookup; SA, SD and SS are refused' }),
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
      .openapi({ example: 'odd-jobs', description: 'An active category: see GET /{tenant}/categories' }),
    description: textLines(MAX_DESCRIPTION_LENGTH).openapi({ example: 'Een lamp ophangen in de woonkamer.' }),
    contact: z
      .strictObject({
        name: textLine(200).openapi({ example: 'J. de Vries' }),
        email: z.email().max(254).optional(),
        phone: z.string().regex(CONTACT_PHONE_PATTERN, 'Not a phone number').optional().openapi({
          example: '06 1234 5678',
        }),
        preferredChannel: z
          .enum(['email', 'phone'])
          .optional()
          .openapi({ description: 'How the resident would rather be contacted; needs that detail' }),
      })
      .openapi('HelpRequestContact', {
        description: 'How the team reaches the resident: an e-mail address, a phone number or both',
        anyOf: [{ required: ['email'] }, { required: ['phone'] }],
        example: { name: 'J. de Vries', phone: '06 1234 5678', preferredChannel: 'phone' },
      }),
    consent: z.literal(true).openapi({ description: 'Consent to process these details; must be true' }),
    language: z
      .enum(['nl', 'en'])
      .optional()
      .openapi({ description: 'The language of the messages to the resident (default nl)' }),
    shareWithProvider: z.boolean().optional().openapi({
      description:
        'Separate, optional consent: the provider who will help may read the description (default false)',
    }),
    preferredAt: z.iso.datetime({ offset: true }).optional().openapi({
      description:
        'Required where the category needs a date (`needsSchedule`), at least its `leadTimeHours` ahead',
    }),
  })
  .openapi('HelpRequestIntake', {
    example: {
      postcode: '9712 CP',
      houseNumber: 12,
      category: 'odd-jobs',
      description: 'Een lamp ophangen in de woonkamer.',
      contact: { name: 'J. de Vries', phone: '06 1234 5678' },
      consent: true,
    },
  });

export const StatusSchema = z.enum(REQUEST_STATUSES).openapi('RequestStatus', { example: 'received' });

const TeamRef = z.object({
  id: z.string().openapi({ example: EXAMPLE.teamId }),
  name: z.string().nullable(),
});

const SummaryObject = z.object({
  reference: z.string().openapi({ example: REQUEST_EXAMPLE.reference }),
  status: StatusSchema,
  category: z.string(),
  team: TeamRef,
  routedToDefault: z.boolean(),
  area: z.string().openapi({ description: 'The PC4 area only' }),
  tier: z.string().nullable(),
  providerId: z.string().nullable(),
  submittedBy: z.object({ kind: z.enum(SUBMITTER_KINDS), keyId: z.string().nullable() }),
  preferredAt: z.string().datetime().nullable(),
  receivedAt: z.string().datetime(),
  statusChangedAt: z.string().datetime(),
  slaDueAt: z.string().datetime(),
  overdue: z.boolean(),
  anonymised: z.boolean(),
});

export const SUMMARY_EXAMPLE: z.infer<typeof SummaryObject> = {
  reference: REQUEST_EXAMPLE.reference,
  status: 'triaged',
  category: 'odd-jobs',
  team: { id: EXAMPLE.teamId, name: 'WIJ Centrum' },
  routedToDefault: false,
  area: '9712',
  tier: 'volunteers',
  providerId: null,
  submittedBy: { kind: 'resident', keyId: null },
  preferredAt: null,
  receivedAt: EXAMPLE.at,
  statusChangedAt: EXAMPLE.later,
  slaDueAt: REQUEST_EXAMPLE.slaDueAt,
  overdue: false,
  anonymised: false,
};

export const SummarySchema = SummaryObject.openapi('HelpRequestSummary', { example: SUMMARY_EXAMPLE });

const HistoryEntryObject = z.object({
  at: z.string().datetime(),
  actor: z.string().openapi({ example: `key:${EXAMPLE.keyId}` }),
  from: StatusSchema.nullable(),
  to: StatusSchema,
  tier: z.string().nullable(),
  providerId: z.string().nullable(),
  reason: z.string().nullable(),
  note: z.string().nullable(),
});

const HISTORY_EXAMPLE: z.infer<typeof HistoryEntryObject>[] = [
  {
    at: EXAMPLE.at,
    actor: 'resident',
    from: null,
    to: 'received',
    tier: null,
    providerId: null,
    reason: null,
    note: null,
  },
  {
    at: EXAMPLE.later,
    actor: `key:${EXAMPLE.keyId}`,
    from: 'received',
    to: 'triaged',
    tier: 'volunteers',
    providerId: null,
    reason: null,
    note: 'Past goed bij de klussendienst.',
  },
];

export const HistoryEntrySchema = HistoryEntryObject.openapi('HelpRequestEvent', {
  example: HISTORY_EXAMPLE[1],
});

export const DetailSchema = SummaryObject.extend({
  description: z.string().nullable().openapi({ description: 'Null once erased or anonymised' }),
  contact: z
    .object({
      name: z.string(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
      preferredChannel: z.enum(['email', 'phone']).nullable(),
    })
    .nullable(),
  address: z
    .object({
      postcode: z.string(),
      houseNumber: z.number().int().nullable(),
      houseLetter: z.string().nullable(),
      houseNumberAddition: z.string().nullable(),
    })
    .nullable(),
  shareWithProvider: z.boolean().openapi({
    description: 'The resident agreed that the provider who helps may read the description',
  }),
  history: z.array(HistoryEntrySchema),
}).openapi('HelpRequest', {
  example: {
    ...SUMMARY_EXAMPLE,
    description: 'Een lamp ophangen in de woonkamer.',
    contact: { name: 'J. de Vries', email: null, phone: '06 1234 5678', preferredChannel: 'phone' },
    address: { postcode: '9712CP', houseNumber: 12, houseLetter: 'A', houseNumberAddition: null },
    shareWithProvider: false,
    history: HISTORY_EXAMPLE,
  },
});

/** What the holder of a status token sees: no personal data. */
export const PublicStatusSchema = z
  .object({
    reference: z.string().openapi({ example: REQUEST_EXAMPLE.reference }),
    status: StatusSchema,
    receivedAt: z.string().datetime().openapi({ example: EXAMPLE.at }),
    lastChangedAt: z.string().datetime().openapi({ example: EXAMPLE.later }),
    slaDueAt: z.string().datetime().openapi({ example: REQUEST_EXAMPLE.slaDueAt }),
    team: z.object({ id: z.string(), name: z.string() }).openapi({
      description: 'The team that has the request; GET /v1/{tenant}/teams/{teamId} gives its contact details',
      example: { id: EXAMPLE.teamId, name: 'WIJ Centrum' },
    }),
    timeline: z.array(z.object({ status: StatusSchema, at: z.string().datetime() })).openapi({
      description: 'Every status the request has had, oldest first',
      example: [
        { status: 'received', at: EXAMPLE.at },
        { status: 'triaged', at: EXAMPLE.later },
      ],
    }),
    withdrawable: z
      .boolean()
      .openapi({ description: 'Not yet accepted: POST …/withdrawal withdraws it', example: true }),
  })
  .openapi('PublicRequestStatus', {
    example: {
      reference: REQUEST_EXAMPLE.reference,
      status: 'triaged',
      receivedAt: EXAMPLE.at,
      lastChangedAt: EXAMPLE.later,
      slaDueAt: REQUEST_EXAMPLE.slaDueAt,
      team: { id: EXAMPLE.teamId, name: 'WIJ Centrum' },
      timeline: [
        { status: 'received', at: EXAMPLE.at },
        { status: 'triaged', at: EXAMPLE.later },
      ],
      withdrawable: true,
    },
  });

/** The status token, sent as a header so that it never lands in a URL or a log. */
export const StatusTokenHeaders = z.object({
  'status-token': z.string().min(16).max(128).openapi({
    description: 'The statusToken from the intake answer',
    example: REQUEST_EXAMPLE.statusToken,
  }),
});

export const RequestStateSchema = z
  .object({
    reference: z.string(),
    status: StatusSchema,
    tier: z.string().nullable(),
    providerId: z.string().nullable(),
    statusChangedAt: z.string().datetime(),
  })
  .openapi('HelpRequestState', {
    example: {
      reference: REQUEST_EXAMPLE.reference,
      status: 'triaged',
      tier: 'volunteers',
      providerId: null,
      statusChangedAt: EXAMPLE.later,
    },
  });

export const RequestAuditEventSchema = z
  .object({
    id: z.string(),
    at: z.string().datetime(),
    actor: z.string().openapi({ description: '`resident`, `key:<id>`, `provider:<id>`, `system`' }),
    action: z.enum(REQUEST_AUDIT_ACTIONS),
    reference: z.string(),
    result: z.enum(REQUEST_AUDIT_RESULTS),
    origin: z.string().openapi({ description: 'A client IP, `cli`, `retention` or `internal`' }),
    detail: z.string().nullable().openapi({ description: 'For transitions: `received->triaged`' }),
  })
  .openapi('HelpRequestAuditEvent', {
    example: {
      id: 'aud_01jdq3b5d7f9h1k3m5p7r9t1vx',
      at: EXAMPLE.later,
      actor: `key:${EXAMPLE.keyId}`,
      action: 'request.read',
      reference: REQUEST_EXAMPLE.reference,
      result: 'success',
      origin: '203.0.113.7',
      detail: null,
    },
  });
