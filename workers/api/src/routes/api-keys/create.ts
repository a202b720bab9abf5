import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { actorId, createApiKey, presentApiKey, recordAudit, scopesNotHeld } from '@wijkteams/access';
import { KEY_KINDS, SCOPES, textLine } from '@wijkteams/db';
import { activeProvider } from '@wijkteams/intake';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { invalid } from '../requests/context.ts';
import {
  API_KEY_EXAMPLE,
  ApiKeySchema,
  EXAMPLE,
  jsonBody,
  locationHeader,
  ScopeSchema,
  TenantPathSchema,
  tenantRouteProblems,
} from '../schemas.ts';
import { VOUCHER_EXAMPLE } from '../vouchers/schemas.ts';

const NewKeySchema = z
  .strictObject({
    name: textLine(100, 2).openapi({ example: 'Huisartsenpraktijk De Linde' }),
    kind: z.enum(KEY_KINDS).default('partner'),
    scopes: z.array(ScopeSchema).min(1).max(SCOPES.length),
    expiresAt: z
      .string()
      .datetime({ offset: true })
      .refine((at) => Date.parse(at) > Date.now(), 'Must be in the future')
      .optional(),
    providerId: z.string().min(1).max(64).optional().openapi({
      description:
        'The key acts as this registered, active provider: with `offers:respond` it answers offers made to it, with `vouchers:redeem` it redeems to its own account only, with `vouchers:read` it reads that account',
      example: VOUCHER_EXAMPLE.provider,
    }),
  })
  .refine((k) => !k.scopes.includes('offers:respond') || k.providerId !== undefined, {
    message: '`offers:respond` is for a key that acts as a provider: give providerId',
    path: ['providerId'],
  })
  .openapi('NewApiKey', {
    example: {
      name: 'Huisartsenpraktijk De Linde',
      kind: 'partner',
      scopes: ['requests:write', 'requests:read'],
      expiresAt: EXAMPLE.future,
    },
  });

const route = createRoute({
  method: 'post',
  path: '/v1/{tenant}/api-keys',
  operationId: 'createApiKey',
  tags: ['API keys'],
  summary: 'Create an API key; the key itself is in this answer and never again',
  description: 'Platform admin or `tenant:admin`. A tenant admin can grant only scopes its own key holds.',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: { params: TenantPathSchema, body: jsonBody(NewKeySchema) },
  responses: {
    201: {
      description: 'The new key. Store `key` now: only its hash is kept.',
      headers: locationHeader(`/v1/${EXAMPLE.tenant}/api-keys/${EXAMPLE.keyId}`),
      content: {
        'application/json': {
          schema: ApiKeySchema.extend({
            key: z.string().openapi({ description: 'The key itself: shown in this answer only' }),
          }).openapi('CreatedApiKey', {
            example: {
              ...API_KEY_EXAMPLE,
              lastUsedAt: null,
              key: 'wt_partner_groningen_Ab3dQ7x2Lm9Vt4Rk8Np1Zs6Hc3Wy5Fg0Jb2Qe7Tu9Xa',
            },
          }),
        },
      },
    },
    ...tenantRouteProblems(),
  },
});

export const registerCreateApiKey = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const input = c.req.valid('json');
    const actor = c.get('actor');
    const tenant = c.get('tenant');
    const runtime = c.get('runtime');
    const control = c.get('control')();
    const missing = scopesNotHeld(actor, input.scopes);
    if (missing.length > 0) {
      await recordAudit(control, {
        actor: actorId(actor),
        origin: runtime.clientIp(c),
        tenantId: tenant.id,
        action: 'key.create',
        objectType: 'api-key',
        objectId: 'new',
        result: 'denied',
      });
      throw new ApiError('forbidden', `This key cannot grant ${missing.join(', ')}`);
    }
    if (input.providerId !== undefined) {
      const provider = await activeProvider({ db: c.get('db')().$client }, input.providerId);
      if (!provider?.active)
        throw invalid([
          { name: 'providerId', reason: 'No active provider of this municipality has this id' },
        ]);
    }
    const { key, plaintext } = await createApiKey(control, {
      tenantId: tenant.id,
      tenantSlug: tenant.slug,
      name: input.name,
      kind: input.kind,
      scopes: input.scopes,
      expiresAt: input.expiresAt ? new Date(input.expiresAt).toISOString() : null,
      providerId: input.providerId ?? null,
      createdBy: actorId(actor),
    });
    await recordAudit(control, {
      actor: actorId(actor),
      origin: runtime.clientIp(c),
      tenantId: tenant.id,
      action: 'key.created',
      objectType: 'api-key',
      objectId: key.id,
      result: 'success',
    });
    c.header('Location', `/v1/${tenant.slug}/api-keys/${key.id}`);
    return c.json({ ...presentApiKey(key), key: plaintext }, 201);
  });
