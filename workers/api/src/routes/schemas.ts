import { z } from '@hono/zod-openapi';
import { KEY_KINDS, SCOPES, TENANT_SETTINGS_FIELDS, TENANT_STATUSES, WEEKDAYS } from '@wijkteams/db';
import { TENANT_SLUG_PATTERN } from '@wijkteams/tenants';
import { MAX_INVALID_PARAMS, PROBLEMS, type ProblemCode, problemType } from '../errors.ts';

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: problemType('tenant-not-found') }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    invalidParams: z
      .array(z.object({ name: z.string(), reason: z.string() }))
      .max(MAX_INVALID_PARAMS)
      .optional()
      .openapi({ description: `The invalid fields, at most ${MAX_INVALID_PARAMS}` }),
    invalidParamsTotal: z
      .number()
      .int()
      .optional()
      .openapi({ description: `How many fields were invalid, when more than ${MAX_INVALID_PARAMS}` }),
  })
  .openapi('Problem');

/** The problem responses a route can give, for its OpenAPI `responses`. */
export function problemResponses(...codes: ProblemCode[]) {
  const byStatus = new Map<number, string[]>();
  for (const code of [
    'validation-failed',
    'rate-limited',
    'internal',
    'database-unavailable',
    ...codes,
  ] as const) {
    const { status, title } = PROBLEMS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), title]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, titles]) => [
      status,
      {
        description: [...new Set(titles)].join('; '),
        content: { 'application/problem+json': { schema: ProblemSchema } },
      },
    ]),
  );
}

/** What any route behind `resolveTenant` and a scope can answer, plus the route's own problems. */
export function tenantRouteProblems(...codes: ProblemCode[]) {
  return problemResponses(
    'unauthorized',
    'forbidden',
    'tenant-not-found',
    'tenant-suspended',
    'tenant-unavailable',
    ...codes,
  );
}

export const TenantParam = z
  .string()
  .regex(TENANT_SLUG_PATTERN)
  .openapi({ param: { name: 'tenant', in: 'path' }, example: 'groningen', description: 'The municipality' });

export const TenantPathSchema = z.object({ tenant: TenantParam });

export const TeamPathSchema = z.object({
  tenant: TenantParam,
  teamId: z
    .string()
    .regex(/^team_[0-9a-z]{26}$/, 'Not a team id')
    .openapi({ param: { name: 'teamId', in: 'path' } }),
});

const Interval = z.object({ opens: z.string().openapi({ example: '09:00' }), closes: z.string() });

export const TeamSchema = z
  .object({
    id: z.string().openapi({ example: 'team_01jdq2v6k8x7r0m4c9z3f5h2aa' }),
    name: z.string().openapi({ example: 'WIJ Centrum' }),
    kind: z.string().openapi({ example: 'wij-team' }),
    kindName: z
      .object({ nl: z.string(), en: z.string() })
      .openapi({ example: { nl: 'WIJ-team', en: 'WIJ team' } }),
    description: z.string().nullable(),
    address: z
      .object({
        // Examples per field: an object example with a `postcode` key trips the ADR linter's
        // `post` method match (its JSONPath also walks into examples).
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
    closureMessage: z
      .string()
      .nullable()
      .openapi({ description: 'Set while the team is temporarily closed' }),
    isDefaultIntake: z.boolean(),
    isExample: z
      .boolean()
      .openapi({ description: 'True where details are example data, not the municipality’s' }),
    active: z.boolean().openapi({ description: 'False while out of service: in no list, lookup or routing' }),
  })
  .openapi('Team');

/** As stored: a missing key takes the default (see `GET /v1/{tenant}/settings` for the values in force). */
// Built here from the stored schema's fields: a zod schema made before @hono/zod-openapi loaded has no `.openapi()`.
export const TenantSettingsSchema = z
  .strictObject(TENANT_SETTINGS_FIELDS)
  .partial()
  .openapi('TenantSettings', {
    example: { corsOrigins: ['https://www.groningen.nl'], offerTimeoutHours: 48 },
  });

export const TenantSchema = z
  .object({
    id: z.string(),
    slug: z.string().regex(TENANT_SLUG_PATTERN).openapi({ example: 'groningen' }),
    name: z.string().openapi({ example: 'Gemeente Groningen' }),
    municipalityCode: z.string().openapi({ example: 'GM0014' }),
    referencePrefix: z
      .string()
      .openapi({ example: 'GRO', description: 'Starts every request reference: GRO-2026-000123' }),
    status: z.enum(TENANT_STATUSES),
    lastError: z
      .string()
      .nullable()
      .openapi({ description: 'Why provisioning failed, while it is `failed`' }),
    settings: TenantSettingsSchema,
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('Tenant');

export const ScopeSchema = z.enum(SCOPES).openapi('Scope');

export const ApiKeySchema = z
  .object({
    id: z.string().openapi({ example: 'key_01jdq2v6k8x7r0m4c9z3f5h2aa' }),
    name: z.string().openapi({ example: 'Huisartsenpraktijk De Linde' }),
    kind: z.enum(KEY_KINDS),
    prefix: z
      .string()
      .openapi({ example: 'wt_partner_zeist_Ab3d', description: 'To recognise the key; not a secret' }),
    scopes: z.array(ScopeSchema),
    providerId: z.string().nullable().openapi({ description: 'The provider the key acts as, if any' }),
    expiresAt: z.string().datetime().nullable(),
    revokedAt: z.string().datetime().nullable(),
    lastUsedAt: z.string().datetime().nullable(),
    createdBy: z.string(),
    createdAt: z.string().datetime(),
  })
  .openapi('ApiKey');

/** A JSON request body; only `application/json` is accepted (415 otherwise). */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } } as const;
}
