import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { listApiKeys } from '@wijkteams/access';
import { listProviders, registerProvider } from '@wijkteams/intake';
import type { AppEnv } from '../../context.ts';
import { requireAnyScope, requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { auditTenantChange } from '../audit.ts';
import { registerRoute } from '../register.ts';
import { intakeContext, invalid } from '../requests/context.ts';
import { jsonBody, TenantPathSchema, tenantRouteProblems } from '../schemas.ts';

const ProviderSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    tier: z.string().openapi({ example: 'volunteers' }),
    categories: z.array(z.string()),
    keyId: z.string().nullable().openapi({ description: 'The API key the provider answers offers with' }),
    active: z.boolean(),
  })
  .openapi('Provider');

const create = createRoute({
  method: 'post',
  path: '/v1/{tenant}/providers',
  operationId: 'registerProvider',
  tags: ['Requests'],
  summary: 'Register a provider on a tier of the triage ladder, for some categories',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: {
    params: TenantPathSchema,
    body: jsonBody(
      z
        .strictObject({
          name: z.string().min(1).max(200),
          tier: z.string().min(1).max(64),
          categories: z.array(z.string().min(1).max(64)).min(1),
          keyId: z.string().max(64).optional(),
        })
        .openapi('NewProvider'),
    ),
  },
  responses: {
    201: { description: 'Registered', content: { 'application/json': { schema: ProviderSchema } } },
    ...tenantRouteProblems(),
  },
});

const list = createRoute({
  method: 'get',
  path: '/v1/{tenant}/providers',
  operationId: 'listProviders',
  tags: ['Requests'],
  summary: 'Providers by tier and category',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireAnyScope('requests:triage', 'tenant:admin')] as const,
  request: {
    params: TenantPathSchema,
    query: z.object({ tier: z.string().max(64).optional(), category: z.string().max(64).optional() }),
  },
  responses: {
    200: {
      description: 'Providers',
      content: { 'application/json': { schema: z.object({ providers: z.array(ProviderSchema) }) } },
    },
    ...tenantRouteProblems(),
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
      action: 'provider.created',
      objectType: 'provider',
      objectId: outcome.provider.id,
    });
    return c.json(outcome.provider, 201);
  });
  registerRoute(app, list, async (c) =>
    c.json({ providers: await listProviders(await intakeContext(c), c.req.valid('query')) }, 200),
  );
}
