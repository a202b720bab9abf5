import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { hasScope, listApiKeys } from '@wijkteams/access';
import { textLine } from '@wijkteams/db';
import {
  CONTACT_PHONE_PATTERN,
  getProvider,
  listProviders,
  type Provider,
  registerProvider,
  updateProvider,
} from '@wijkteams/intake';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireAnyScope, requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { auditTenantChange } from '../audit.ts';
import { registerRoute } from '../register.ts';
import { intakeContext, invalid } from '../requests/context.ts';
import { EXAMPLE, jsonBody, orNull, TenantParam, TenantPathSchema, tenantRouteProblems } from '../schemas.ts';

const PROVIDER_ID_EXAMPLE = 'prv_01jdq3a2c4e6g8j0l2n4q6s8uw';

/** Registered providers are `prv_…`; those made from the ledger's old accounts keep the name redemptions used. */
export const ProviderIdParam = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'Not a provider id')
  .openapi({ param: { name: 'providerId', in: 'path' }, example: PROVIDER_ID_EXAMPLE });

const ContactSchema = z
  .object({
    email: z.string().nullable().openapi({ example: 'klussen@voormekaar.nl' }),
    phone: z.string().nullable().openapi({ example: '050 311 2345' }),
  })
  .openapi('ProviderContact', { example: { email: 'klussen@voormekaar.nl', phone: '050 311 2345' } });

const ProviderObject = z.object({
  id: z.string().openapi({ example: PROVIDER_ID_EXAMPLE }),
  name: z.string().openapi({ example: 'Voor Mekaar Groningen' }),
  tier: z.string().openapi({ example: 'volunteers' }),
  categories: z.array(z.string()).openapi({ example: ['odd-jobs', 'gardening'] }),
  area: z
    .array(z.string())
    .nullable()
    .openapi({ description: 'PC4 areas; null for the whole municipality', example: ['9711', '9712'] }),
  contact: orNull(ContactSchema).openapi({
    description: 'Null only for providers made from old ledger accounts',
  }),
  iban: z.string().nullable().openapi({
    example: 'NL91ABNA0417164300',
    description:
      'Where payouts go (electronic format); null until set. Shown whole to `tenant:admin`, to others only its country, check digits and last four (`NL91…4300`)',
  }),
  language: z.enum(['nl', 'en']),
  active: z.boolean(),
  keyId: z.string().nullable().openapi({ description: 'Deprecated: create a key with `providerId` instead' }),
  createdAt: z.string().datetime(),
  updatedAt: z.string().datetime().nullable(),
});

const PROVIDER_EXAMPLE: z.infer<typeof ProviderObject> = {
  id: PROVIDER_ID_EXAMPLE,
  name: 'Voor Mekaar Groningen',
  tier: 'volunteers',
  categories: ['odd-jobs', 'gardening'],
  area: ['9711', '9712'],
  contact: { email: 'klussen@voormekaar.nl', phone: null },
  iban: 'NL91ABNA0417164300',
  language: 'nl',
  active: true,
  keyId: null,
  createdAt: EXAMPLE.at,
  updatedAt: EXAMPLE.later,
};

const ProviderSchema = ProviderObject.openapi('Provider', { example: PROVIDER_EXAMPLE });

const ContactInput = z
  .strictObject({
    email: z.email().max(254).optional().openapi({ example: 'klussen@voormekaar.nl' }),
    phone: z
      .string()
      .regex(CONTACT_PHONE_PATTERN, 'Not a phone number')
      .optional()
      .openapi({ example: '06 12345678' }),
  })
  .openapi({
    description: 'At least one of e-mail and phone',
    anyOf: [{ required: ['email'] }, { required: ['phone'] }],
  });

const IbanInput = z.string().max(50).openapi({
  example: 'NL91 ABNA 0417 1643 00',
  description: 'Where payouts go; checked with its mod-97 check digits; spaces and any case are fine',
});

const AreaInput = z
  .array(z.string().max(8))
  .min(1)
  .max(500)
  .nullable()
  .openapi({ description: 'PC4 areas (four digits); null for the whole municipality' });

const NewProvider = z
  .strictObject({
    name: textLine(200).openapi({ example: 'Voor Mekaar Groningen' }),
    tier: z.string().min(1).max(40).openapi({ example: 'volunteers' }),
    categories: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(50)
      .openapi({ example: ['odd-jobs'] }),
    contact: ContactInput,
    iban: IbanInput.optional(),
    area: AreaInput.optional(),
    language: z.enum(['nl', 'en']).optional(),
    keyId: z.string().max(64).optional(),
  })
  .openapi('NewProvider', {
    example: {
      name: 'Voor Mekaar Groningen',
      tier: 'volunteers',
      categories: ['odd-jobs', 'gardening'],
      contact: { email: 'klussen@voormekaar.nl' },
      iban: 'NL91 ABNA 0417 1643 00',
      area: ['9711', '9712'],
      language: 'nl',
    },
  });

const ProviderPatch = z
  .strictObject({
    name: textLine(200).optional(),
    tier: z.string().min(1).max(40).optional(),
    categories: z.array(z.string().min(1).max(64)).min(1).max(50).optional(),
    contact: ContactInput.optional(),
    iban: IbanInput.nullable().optional().openapi({ description: 'null removes it' }),
    area: AreaInput.optional(),
    language: z.enum(['nl', 'en']).optional(),
    active: z
      .boolean()
      .optional()
      .openapi({ description: 'false: no more offers, no redemptions; never deleted' }),
  })
  .openapi('ProviderChange', {
    example: { contact: { email: 'klussen@voormekaar.nl', phone: '050 311 2345' }, area: null },
  });

const ProviderPath = z.object({ tenant: TenantParam, providerId: ProviderIdParam });

/** Triage staff see which provider has an IBAN, not the account itself; the municipality's admin does. */
function forReader(c: Context<AppEnv>, provider: Provider): Provider {
  if (provider.iban === null || hasScope(c.get('actor'), 'tenant:admin')) return provider;
  return { ...provider, iban: `${provider.iban.slice(0, 4)}…${provider.iban.slice(-4)}` };
}

const create = createRoute({
  method: 'post',
  path: '/v1/{tenant}/providers',
  operationId: 'registerProvider',
  tags: ['Providers'],
  summary:
    'Register a provider on a tier of the triage ladder, for some categories; it gets its own voucher account',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: { params: TenantPathSchema, body: jsonBody(NewProvider) },
  responses: {
    201: { description: 'Registered', content: { 'application/json': { schema: ProviderSchema } } },
    ...tenantRouteProblems(),
  },
});

const list = createRoute({
  method: 'get',
  path: '/v1/{tenant}/providers',
  operationId: 'listProviders',
  tags: ['Providers'],
  summary: 'Providers by tier and category',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireAnyScope('requests:triage', 'tenant:admin')] as const,
  request: {
    params: TenantPathSchema,
    query: z.object({
      tier: z.string().max(64).optional().openapi({ example: 'volunteers' }),
      category: z.string().max(64).optional().openapi({ example: 'odd-jobs' }),
    }),
  },
  responses: {
    200: {
      description: 'Providers',
      content: {
        'application/json': {
          schema: z
            .object({ providers: z.array(ProviderSchema) })
            .openapi('ProviderList', { example: { providers: [PROVIDER_EXAMPLE] } }),
        },
      },
    },
    ...tenantRouteProblems(),
  },
});

const get = createRoute({
  method: 'get',
  path: '/v1/{tenant}/providers/{providerId}',
  operationId: 'getProvider',
  tags: ['Providers'],
  summary: 'One provider',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireAnyScope('tenant:admin', 'requests:triage')] as const,
  request: { params: ProviderPath },
  responses: {
    200: { description: 'The provider', content: { 'application/json': { schema: ProviderSchema } } },
    ...tenantRouteProblems('not-found'),
  },
});

const patch = createRoute({
  method: 'patch',
  path: '/v1/{tenant}/providers/{providerId}',
  operationId: 'updateProvider',
  tags: ['Providers'],
  summary: 'Change a provider, or take it out of service with `{ "active": false }`',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: { params: ProviderPath, body: jsonBody(ProviderPatch) },
  responses: {
    200: {
      description: 'The provider as it now is',
      content: { 'application/json': { schema: ProviderSchema } },
    },
    ...tenantRouteProblems('not-found'),
  },
});

export function registerProviderRoutes(app: OpenAPIHono<AppEnv>) {
  registerRoute(app, create, async (c) => {
    const input = c.req.valid('json');
    // A provider answers offers with its key: one of this municipality's, neither revoked nor expired.
    if (input.keyId !== undefined) {
      const keys = await listApiKeys(c.get('control')(), c.get('tenant').id);
      const now = new Date().toISOString();
      const usable = (k: (typeof keys)[number]) =>
        k.id === input.keyId && k.revokedAt === null && (k.expiresAt === null || k.expiresAt > now);
      if (!keys.some(usable)) {
        throw invalid([{ name: 'keyId', reason: 'No active API key of this municipality has this id' }]);
      }
    }
    const outcome = await registerProvider(await intakeContext(c), input);
    if (!outcome.ok) throw invalid(outcome.invalidParams);
    await auditTenantChange(c, {
      action: 'provider.registered',
      objectType: 'provider',
      objectId: outcome.provider.id,
    });
    return c.json(outcome.provider, 201);
  });
  registerRoute(app, list, async (c) => {
    const providers = await listProviders(await intakeContext(c), c.req.valid('query'));
    return c.json({ providers: providers.map((p) => forReader(c, p)) }, 200);
  });
  registerRoute(app, get, async (c) => {
    const provider = await getProvider(await intakeContext(c), c.req.valid('param').providerId);
    if (!provider) throw new ApiError('not-found', 'This municipality has no such provider');
    return c.json(forReader(c, provider), 200);
  });
  registerRoute(app, patch, async (c) => {
    const { providerId } = c.req.valid('param');
    const outcome = await updateProvider(await intakeContext(c), providerId, c.req.valid('json'));
    // Redemptions in this isolate see the change at once (others within PROVIDER_CACHE_TTL_MS).
    c.get('runtime').providerCache.forget(c.get('tenant').id, providerId);
    if (!outcome.ok) {
      if (outcome.reason === 'not-found')
        throw new ApiError('not-found', 'This municipality has no such provider');
      throw invalid(outcome.invalidParams);
    }
    await auditTenantChange(c, {
      action: outcome.provider.active ? 'provider.changed' : 'provider.deactivated',
      objectType: 'provider',
      objectId: providerId,
    });
    return c.json(outcome.provider, 200);
  });
}
