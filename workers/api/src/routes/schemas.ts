import { type RouteConfig, z } from '@hono/zod-openapi';
import { KEY_KINDS, SCOPES, TENANT_SETTINGS_FIELDS, TENANT_STATUSES, WEEKDAYS } from '@wijkteams/db';
import { TENANT_SLUG_PATTERN } from '@wijkteams/tenants';
import { ApiError, MAX_INVALID_PARAMS, PROBLEMS, type ProblemCode, problemType } from '../errors.ts';

/**
 * Values the examples of the document share, so that an example answer names the team, key or
 * moment an example request used. Ids have the shape the API checks (`team_` and 26 characters).
 */
export const EXAMPLE = {
  tenant: 'groningen',
  tenantId: 'ten_01jdq2t3a9wq5m8k2r7x4c6v1n',
  teamId: 'team_01jdq2v6k8x7r0m4c9z3f5h2aa',
  keyId: 'key_01jdq2w1m3n5p7q9r2s4t6v8xa',
  ruleId: 'rule_01jdq2x4b6d8f0h2k4m6p8r0tb',
  at: '2026-03-02T09:15:00.000Z',
  later: '2026-03-02T10:40:00.000Z',
  /** Far enough ahead to stay in the future for as long as this API version is served. */
  future: '2036-12-31T23:00:00.000Z',
} as const;

/** A value that may be null: `anyOf` the schema or null (`.nullable()` of a named schema renders wrongly). */
export const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);

const InvalidParamSchema = z
  .object({
    name: z.string().openapi({
      example: 'body.contact.email',
      description: 'Where: `body.…`, `query.…`, `path.…`, `header.…` (CSV imports: `line:<n>.…`)',
    }),
    reason: z.string().openapi({ example: 'Invalid email address' }),
  })
  .openapi('InvalidParam');

const MunicipalitySchema = z
  .object({
    code: z.string().openapi({ example: 'GM0344', description: 'The CBS municipality code' }),
    name: z.string().openapi({ example: 'Utrecht' }),
  })
  .openapi('Municipality');

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: problemType('tenant-not-found') }),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    instance: z.string().optional(),
    invalidParams: z
      .array(InvalidParamSchema)
      .max(MAX_INVALID_PARAMS)
      .optional()
      .openapi({ description: `The invalid fields, at most ${MAX_INVALID_PARAMS}` }),
    invalidParamsTotal: z
      .number()
      .int()
      .optional()
      .openapi({ description: `How many fields were invalid, when more than ${MAX_INVALID_PARAMS}` }),
    servedBy: orNull(
      z.object({
        municipality: MunicipalitySchema,
        tenant: orNull(z.object({ slug: z.string(), name: z.string() }))
          .optional()
          .openapi({
            description: 'address-not-served: where that municipality takes requests here, if it does',
          }),
      }),
    )
      .optional()
      .openapi({
        description:
          'postcode-not-served and address-not-served: the municipality that does serve it, if any',
      }),
    code: z.string().optional().openapi({ description: 'Voucher refusals: the voucher code, as canonical' }),
    requestStatus: z
      .string()
      .optional()
      .openapi({ description: 'withdrawal-too-late: the status the request has (accepted or later)' }),
    redeemedAt: z
      .string()
      .datetime()
      .optional()
      .openapi({ description: 'voucher-already-redeemed: when it was redeemed' }),
    provider: z.string().optional().openapi({
      description:
        'voucher-already-redeemed: the provider that was paid, where the caller may know (not to another provider’s key)',
    }),
    accountId: z.string().optional().openapi({ description: 'insufficient-funds: the account' }),
    amountCents: z.number().int().optional().openapi({ description: 'insufficient-funds: what was asked' }),
    availableCents: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'insufficient-funds: what the account holds' }),
    transferId: z
      .string()
      .optional()
      .openapi({ description: 'redemption-already-reversed and redemption-paid-out: the redemption' }),
    payoutBatchId: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: 'redemption-paid-out: the payout batch that paid it' }),
  })
  .openapi('Problem', {
    description: 'RFC 9457 problem details, with the extension members some problems carry',
  });

/** An example body of each problem, as the API answers it. */
function problemExample(code: ProblemCode) {
  const { status, title } = PROBLEMS[code];
  const base = { type: problemType(code), title, status, detail: title };
  switch (code) {
    case 'validation-failed':
      return {
        ...base,
        detail: '1 invalid parameter(s)',
        invalidParams: [{ name: 'body.contact', reason: 'Give an e-mail address or a phone number' }],
      };
    case 'postcode-not-served':
      return {
        ...base,
        detail: '3511 AB lies in Utrecht, not in Gemeente Groningen',
        servedBy: { municipality: { code: 'GM0344', name: 'Utrecht' } },
      };
    case 'voucher-already-redeemed':
      return {
        ...base,
        detail:
          'Voucher K7QF-3M9X-T2HD-7 was already redeemed on maandag 2 maart om 10:15 (Dutch time), by you',
        code: 'K7QF-3M9X-T2HD-7',
        redeemedAt: '2026-03-02T09:15:00.000Z',
        provider: 'prv-klusbedrijf-aalst',
      };
    case 'address-not-served':
      return {
        ...base,
        detail: '3701 AB lies in Zeist, not in Gemeente Groningen: ask Zeist for help',
        invalidParams: [{ name: 'body.postcode', reason: 'Not served by Gemeente Groningen' }],
        servedBy: {
          municipality: { code: 'GM0355', name: 'Zeist' },
          tenant: { slug: 'zeist', name: 'Gemeente Zeist' },
        },
      };
    case 'withdrawal-too-late':
      return {
        ...base,
        detail: 'This request is accepted: call the team to change or cancel it',
        requestStatus: 'accepted',
      };
    case 'voucher-voided':
    case 'voucher-expired':
      return { ...base, detail: `Refused: ${code.slice('voucher-'.length)}`, code: 'K7QF-3M9X-T2HD-7' };
    case 'redemption-paid-out':
      return {
        ...base,
        detail:
          'Redemption tr_01jdq3e4g6j8l0n2q4s6u8w0y2 was paid out in payout batch pay_01jdq4a2c4e6g8j0l2n4q6s8uw: the provider has the money. Settle it with the provider; the ledger keeps what was paid',
        transferId: 'tr_01jdq3e4g6j8l0n2q4s6u8w0y2',
        payoutBatchId: 'pay_01jdq4a2c4e6g8j0l2n4q6s8uw',
      };
    case 'insufficient-funds':
      return {
        ...base,
        detail: 'Refused: insufficient-funds',
        accountId: 'acc_01jdq2y7c9e1g3j5l7n9q1s3uw',
        amountCents: 2500,
        availableCents: 1000,
      };
    default:
      return base;
  }
}

/** The problem responses a route can give, for its OpenAPI `responses`, with an example of each. */
export function problemResponses(...codes: ProblemCode[]) {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of new Set(codes)) {
    const { status } = PROBLEMS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, inStatus]) => [
      status,
      {
        description: [...new Set(inStatus.map((code) => PROBLEMS[code].title))].join('; '),
        content: {
          'application/problem+json': {
            schema: ProblemSchema,
            examples: Object.fromEntries(
              inStatus.map((code) => [code, { summary: PROBLEMS[code].title, value: problemExample(code) }]),
            ),
          },
        },
      },
    ]),
  );
}

/** What every route can answer, whatever it does: the request pipeline's own refusals. */
export function pipelineProblemCodes(method: string): ProblemCode[] {
  const upper = method.toUpperCase();
  return [
    'validation-failed',
    'unauthorized',
    ...(upper === 'POST' || upper === 'PUT' || upper === 'PATCH'
      ? (['payload-too-large', 'unsupported-media-type'] as const)
      : upper === 'DELETE'
        ? (['payload-too-large'] as const)
        : []),
    'internal',
    'database-unavailable',
  ];
}

type Responses = RouteConfig['responses'];

/**
 * A route's documented responses with the pipeline's own refusals added (see registerRoute): where
 * the route documents the status already, the problem's example joins it.
 */
export function withPipelineProblems(method: string, responses: Responses): Responses {
  const all: Responses = { ...responses };
  for (const [status, added] of Object.entries(problemResponses(...pipelineProblemCodes(method)))) {
    const present = all[status];
    if (!present) {
      all[status] = added;
      continue;
    }
    if ('$ref' in present) continue;
    const media = present.content?.['application/problem+json'];
    if (!media || '$ref' in media) continue;
    const [code, example] = Object.entries(added.content['application/problem+json'].examples)[0] ?? [];
    if (!code || !example || (media.examples && code in media.examples)) continue;
    const titles = new Set([...(present.description ?? '').split('; '), added.description]);
    all[status] = {
      ...present,
      description: [...titles].join('; '),
      content: {
        ...present.content,
        'application/problem+json': { ...media, examples: { ...media.examples, [code]: example } },
      },
    };
  }
  return all;
}

/** What a public route of a tenant can answer (a key of another tenant is refused there too). */
export function publicTenantProblems(...codes: ProblemCode[]) {
  return problemResponses(
    'forbidden',
    'tenant-not-found',
    'tenant-suspended',
    'tenant-unavailable',
    'rate-limited',
    ...codes,
  );
}

/** What any route behind `resolveTenant` and a scope can answer, plus the route's own problems. */
export function tenantRouteProblems(...codes: ProblemCode[]) {
  return publicTenantProblems('unauthorized', ...codes);
}

/** What a platform route (the platform admin key only) can answer, plus its own problems. */
export function platformProblems(...codes: ProblemCode[]) {
  return problemResponses('unauthorized', 'forbidden', ...codes);
}

export const TenantParam = z
  .string()
  .regex(TENANT_SLUG_PATTERN)
  .openapi({
    param: { name: 'tenant', in: 'path' },
    example: EXAMPLE.tenant,
    description: 'The municipality',
  });

export const TenantPathSchema = z.object({ tenant: TenantParam });

/** A calendar day that exists: 2026-02-30 is refused, 2028-02-29 taken. */
export const DaySchema = z.iso.date({ error: 'A date that exists, YYYY-MM-DD' });

/** A period of Dutch calendar days, `from` up to and including `to`, as a route's query. */
export const periodQuery = (example: { from: string; to: string }) => ({
  from: DaySchema.openapi({ example: example.from }),
  to: DaySchema.openapi({ example: example.to }),
});

/** A period that ends before it starts is a 400 naming `query.to`. */
export function checkPeriod(period: { from: string; to: string }): void {
  if (period.to < period.from) {
    throw new ApiError('validation-failed', 'The period ends before it starts', {
      invalidParams: [{ name: 'query.to', reason: 'Not before from' }],
    });
  }
}

/** A prefixed id in a path (`team_…`), checked for its shape before anything is looked up. */
export function idParam(name: string, prefix: string, example: string) {
  return z
    .string()
    .regex(new RegExp(`^${prefix}_[0-9a-z]{26}$`), `Not a ${prefix} id`)
    .openapi({ param: { name, in: 'path' }, example });
}

export const TeamPathSchema = z.object({
  tenant: TenantParam,
  teamId: idParam('teamId', 'team', EXAMPLE.teamId).openapi({ description: 'A team id' }),
});

const Interval = z
  .object({
    opens: z.string().openapi({ example: '09:00' }),
    closes: z.string().openapi({ example: '17:00' }),
  })
  .openapi('OpeningInterval');

const TeamObject = z.object({
  id: z.string().openapi({ example: EXAMPLE.teamId }),
  name: z.string().openapi({ example: 'WIJ Centrum' }),
  kind: z.string().openapi({ example: 'wij-team' }),
  kindName: z
    .object({ nl: z.string(), en: z.string() })
    .openapi({ example: { nl: 'WIJ-team', en: 'WIJ team' } }),
  description: z.string().nullable(),
  address: z
    .object({
      street: z.string().nullable().openapi({ example: 'Oude Boteringestraat' }),
      houseNumber: z.number().int().nullable().openapi({ example: 1 }),
      houseLetter: z.string().nullable().openapi({ example: 'A' }),
      houseNumberAddition: z.string().nullable().openapi({ example: 'bis' }),
      postcode: z.string().nullable().openapi({ example: '9712GA', description: 'Canonical: 9712GA' }),
      city: z.string().nullable().openapi({ example: 'Groningen' }),
    })
    .openapi('TeamAddress'),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  website: z.string().nullable(),
  openingHours: z.partialRecord(z.enum(WEEKDAYS), z.array(Interval)),
  accessibility: z.string().nullable(),
  closureMessage: z.string().nullable().openapi({ description: 'Set while the team is temporarily closed' }),
  isDefaultIntake: z.boolean(),
  isExample: z
    .boolean()
    .openapi({ description: 'True where details are example data, not the municipality’s' }),
  active: z.boolean().openapi({ description: 'False while out of service: in no list, lookup or routing' }),
});

export const TEAM_EXAMPLE: z.infer<typeof TeamObject> = {
  id: EXAMPLE.teamId,
  name: 'WIJ Centrum',
  kind: 'wij-team',
  kindName: { nl: 'WIJ-team', en: 'WIJ team' },
  description: 'Voor vragen over zorg, welzijn, werk en inkomen in Groningen Centrum.',
  address: {
    street: 'Oude Boteringestraat',
    houseNumber: 2,
    houseLetter: null,
    houseNumberAddition: null,
    postcode: '9712GH',
    city: 'Groningen',
  },
  phone: '050 367 91 00',
  email: 'centrum@wij.groningen.nl',
  website: 'https://wij.groningen.nl',
  openingHours: {
    mon: [{ opens: '09:00', closes: '17:00' }],
    wed: [
      { opens: '09:00', closes: '12:30' },
      { opens: '13:30', closes: '17:00' },
    ],
  },
  accessibility: 'Rolstoeltoegankelijk, invalidenparkeerplaats voor de deur.',
  closureMessage: null,
  isDefaultIntake: true,
  isExample: true,
  active: true,
};

export const TeamSchema = TeamObject.openapi('Team', { example: TEAM_EXAMPLE });

/** As stored: a missing key takes the default (see `GET /v1/{tenant}/settings` for the values in force). */
// Built here from the stored schema's fields: a zod schema made before @hono/zod-openapi loaded has no `.openapi()`.
export const TenantSettingsSchema = z
  .strictObject(TENANT_SETTINGS_FIELDS)
  .partial()
  .openapi('TenantSettings', {
    example: { corsOrigins: ['https://www.groningen.nl'], offerTimeoutHours: 48 },
  });

const TenantObject = z.object({
  id: z.string(),
  slug: z.string().regex(TENANT_SLUG_PATTERN).openapi({ example: EXAMPLE.tenant }),
  name: z.string().openapi({ example: 'Gemeente Groningen' }),
  municipalityCode: z.string().openapi({ example: 'GM0014' }),
  referencePrefix: z
    .string()
    .openapi({ example: 'GRO', description: 'Starts every request reference: GRO-2026-000123' }),
  status: z.enum(TENANT_STATUSES),
  lastError: z.string().nullable().openapi({ description: 'Why provisioning failed, while it is `failed`' }),
  settings: TenantSettingsSchema,
  createdAt: z.string().datetime(),
  updatedAt: z.string().datetime(),
});

export const TENANT_EXAMPLE: z.infer<typeof TenantObject> = {
  id: EXAMPLE.tenantId,
  slug: EXAMPLE.tenant,
  name: 'Gemeente Groningen',
  municipalityCode: 'GM0014',
  referencePrefix: 'GRO',
  status: 'active',
  lastError: null,
  settings: { corsOrigins: ['https://www.groningen.nl'] },
  createdAt: EXAMPLE.at,
  updatedAt: EXAMPLE.at,
};

export const TenantSchema = TenantObject.openapi('Tenant', { example: TENANT_EXAMPLE });

export const ScopeSchema = z.enum(SCOPES).openapi('Scope', { example: 'requests:read' });

const ApiKeyObject = z.object({
  id: z.string().openapi({ example: EXAMPLE.keyId }),
  name: z.string().openapi({ example: 'Huisartsenpraktijk De Linde' }),
  kind: z.enum(KEY_KINDS),
  prefix: z
    .string()
    .openapi({ example: 'wt_partner_groningen_Ab3d', description: 'To recognise the key; not a secret' }),
  scopes: z.array(ScopeSchema),
  providerId: z.string().nullable().openapi({ description: 'The provider the key acts as, if any' }),
  expiresAt: z.string().datetime().nullable(),
  revokedAt: z.string().datetime().nullable(),
  lastUsedAt: z.string().datetime().nullable(),
  createdBy: z.string(),
  createdAt: z.string().datetime(),
});

export const API_KEY_EXAMPLE: z.infer<typeof ApiKeyObject> = {
  id: EXAMPLE.keyId,
  name: 'Huisartsenpraktijk De Linde',
  kind: 'partner',
  prefix: 'wt_partner_groningen_Ab3d',
  scopes: ['requests:write', 'requests:read'],
  providerId: null,
  expiresAt: EXAMPLE.future,
  revokedAt: null,
  lastUsedAt: EXAMPLE.later,
  createdBy: 'platform-admin',
  createdAt: EXAMPLE.at,
};

export const ApiKeySchema = ApiKeyObject.openapi('ApiKey', { example: API_KEY_EXAMPLE });

/** The `Location` of what a 201 created. */
export const locationHeader = (example: string) => ({
  Location: {
    description: 'Where the new resource is',
    required: true,
    schema: { type: 'string' as const, example },
  },
});

/** A JSON request body; only `application/json` is accepted (415 otherwise). */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } } as const;
}
