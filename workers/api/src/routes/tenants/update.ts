import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { actorId } from '@wijkteams/access';
import { setTenantSuspended, updateTenantSettings } from '@wijkteams/tenants';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requirePlatformAdmin } from '../../middleware/authorize.ts';
import { registerRoute } from '../register.ts';
import {
  jsonBody,
  platformProblems,
  TenantPathSchema,
  TenantSchema,
  TenantSettingsSchema,
} from '../schemas.ts';
import { presentTenant } from './present.ts';

const route = createRoute({
  method: 'patch',
  path: '/v1/tenants/{tenant}',
  operationId: 'updateTenant',
  tags: ['Tenants'],
  summary: 'Suspend a municipality or make it active again; change its settings',
  description:
    'While suspended, every route of the tenant answers 403 with a problem. `settings` replaces the stored settings as a whole (a key left out takes its default); the platform admin is not bound by `rateLimitCaps` and sets them. The municipality changes its own settings key by key with `PATCH /v1/{tenant}/settings`.',
  security: [{ bearer: [] }],
  middleware: [requirePlatformAdmin] as const,
  request: {
    params: TenantPathSchema,
    body: jsonBody(
      z
        .strictObject({
          status: z.enum(['active', 'suspended']).optional(),
          settings: TenantSettingsSchema.optional(),
        })
        .refine(
          (body) => body.status !== undefined || body.settings !== undefined,
          'Send status, settings or both',
        )
        .openapi('TenantUpdate', {
          minProperties: 1,
          description: 'Send `status`, `settings` or both; `{}` is refused.',
          example: { settings: { corsOrigins: ['https://www.groningen.nl'], publicRateLimitPerMinute: 120 } },
        }),
    ),
  },
  responses: {
    200: {
      description: 'The tenant as it now is',
      content: { 'application/json': { schema: TenantSchema } },
    },
    ...platformProblems('tenant-not-found', 'conflict'),
  },
});

export const registerUpdateTenant = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const { tenant: slug } = c.req.valid('param');
    const { status, settings } = c.req.valid('json');
    const runtime = c.get('runtime');
    const ctx = {
      control: c.get('control')().$client,
      actor: actorId(c.get('actor')),
      origin: runtime.clientIp(c),
    };
    let tenant = settings ? await updateTenantSettings(ctx, slug, settings) : undefined;
    if (status) tenant = await setTenantSuspended(ctx, slug, status === 'suspended');
    if (!tenant) throw new ApiError('tenant-not-found', `There is no municipality '${slug}' here`);
    if (status && tenant.status !== status) {
      throw new ApiError('conflict', `The tenant is ${tenant.status} and cannot become ${status}`);
    }
    runtime.tenantCache.forget(slug);
    return c.json(presentTenant(tenant), 200);
  });
