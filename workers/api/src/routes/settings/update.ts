import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { actorId } from '@wijkteams/access';
import { hasNumberedRequests } from '@wijkteams/intake';
import { changeTenantSettings } from '@wijkteams/tenants';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { jsonBody, TenantPathSchema, tenantRouteProblems } from '../schemas.ts';
import { platformLimits } from './platform.ts';
import { SettingsPatchSchema, SettingsSchema } from './schemas.ts';

const route = createRoute({
  method: 'patch',
  path: '/v1/{tenant}/settings',
  operationId: 'updateTenantSettings',
  tags: ['Administration'],
  summary: 'Change the municipality’s settings: CORS origins, offer timeout, rate limits, SLA calendar',
  description:
    'Each key sent replaces that setting whole; the rest stay. A `tenant:admin` key may set rate limits up to `rateLimitCaps` (above them: 403 `above-cap`); only the platform admin changes the caps. `referencePrefix` can change until the first request (then 409) and must be free (409). All of it is stored, or nothing; every change is in the audit log.',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: { params: TenantPathSchema, body: jsonBody(SettingsPatchSchema) },
  responses: {
    200: {
      description: 'The settings as they now are',
      content: { 'application/json': { schema: SettingsSchema } },
    },
    ...tenantRouteProblems('above-cap', 'reference-prefix-taken', 'reference-prefix-fixed'),
  },
});

export const registerUpdateSettings = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const tenant = c.get('tenant');
    const runtime = c.get('runtime');
    const actor = c.get('actor');
    const outcome = await changeTenantSettings(
      {
        control: c.get('control')().$client,
        actor: actorId(actor),
        origin: runtime.clientIp(c),
        byPlatformAdmin: actor.type === 'platform-admin',
        platform: platformLimits(runtime),
        hasRequests: () => hasNumberedRequests(c.get('db')().$client),
      },
      tenant.id,
      c.req.valid('json'),
    );
    if (!outcome.ok) {
      switch (outcome.reason) {
        case 'not-found':
          throw new ApiError('tenant-not-found', `There is no municipality '${tenant.slug}' here`);
        case 'beyond-cap':
        case 'caps-are-the-platforms':
          throw new ApiError('above-cap', outcome.detail, { extensions: { field: `body.${outcome.field}` } });
        case 'prefix-taken':
          throw new ApiError('reference-prefix-taken', outcome.detail);
        case 'prefix-in-use':
          throw new ApiError('reference-prefix-fixed', outcome.detail);
      }
    }
    runtime.tenantCache.forget(tenant.slug);
    return c.json(outcome.settings, 200);
  });
