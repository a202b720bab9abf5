import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { actorId } from '@wijkteams/access';
import { listTemplates, saveTemplates } from '@wijkteams/events';
import { hasNumberedRequests } from '@wijkteams/intake';
import { changeTenantSettings, effectiveSettings, type SettingsOutcome } from '@wijkteams/tenants';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { auditTenantChange } from '../audit.ts';
import { registerRoute } from '../register.ts';
import { invalid } from '../requests/context.ts';
import { jsonBody, TenantPathSchema, tenantRouteProblems } from '../schemas.ts';
import { platformLimits } from './platform.ts';
import { SettingsPatchSchema, SettingsSchema } from './schemas.ts';

const route = createRoute({
  method: 'patch',
  path: '/v1/{tenant}/settings',
  operationId: 'updateTenantSettings',
  tags: ['Administration'],
  summary:
    'Change the municipality’s settings: CORS origins, offer timeout, rate limits, SLA calendar, message templates',
  description:
    'Each key sent replaces that setting whole; the rest stay. A `tenant:admin` key may set rate limits up to `rateLimitCaps` (above them: 403 `above-cap`); only the platform admin changes the caps. `referencePrefix` can change until the first request (then 409) and must be free (409). `messageTemplates` sets the wording of the messages given (`custom: false` resets one), in the tenant’s own database, after the rest. All of it is checked before anything is stored; every change is in the audit log.',
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
    const db = c.get('db')().$client;
    const { messageTemplates, ...change } = c.req.valid('json');
    let settings = effectiveSettings(tenant, platformLimits(runtime));
    // The control database first: its checks (caps, prefix) may refuse; the templates, checked with
    // the body, are written after it, in one batch of the tenant's own database.
    if (Object.keys(change).length > 0) {
      const outcome = await changeTenantSettings(
        {
          control: c.get('control')().$client,
          actor: actorId(actor),
          origin: runtime.clientIp(c),
          byPlatformAdmin: actor.type === 'platform-admin',
          platform: platformLimits(runtime),
          hasRequests: () => hasNumberedRequests(db),
        },
        tenant.id,
        change,
      );
      if (!outcome.ok) throw settingsProblem(outcome, tenant.slug);
      settings = outcome.settings;
      runtime.tenantCache.forget(tenant.slug);
    }
    if (messageTemplates) {
      const saved = await saveTemplates(db, new Date(), messageTemplates);
      if (!saved.ok) throw invalid(saved.invalidParams, 'body.messageTemplates');
      await auditTenantChange(c, {
        action: 'message-templates.changed',
        objectType: 'message-template',
        objectId: `${messageTemplates.length} template(s)`,
      });
    }
    return c.json({ ...settings, messageTemplates: await listTemplates(db) }, 200);
  });

function settingsProblem(outcome: Exclude<SettingsOutcome, { ok: true }>, slug: string): ApiError {
  switch (outcome.reason) {
    case 'not-found':
      return new ApiError('tenant-not-found', `There is no municipality '${slug}' here`);
    case 'beyond-cap':
    case 'caps-are-the-platforms':
      return new ApiError('above-cap', outcome.detail, { extensions: { field: `body.${outcome.field}` } });
    case 'prefix-taken':
      return new ApiError('reference-prefix-taken', outcome.detail);
    case 'prefix-in-use':
      return new ApiError('reference-prefix-fixed', outcome.detail);
  }
}
