import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { listTemplates } from '@wijkteams/events';
import { effectiveSettings } from '@wijkteams/tenants';
import type { AppEnv } from '../../context.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { TenantPathSchema, tenantRouteProblems } from '../schemas.ts';
import { platformLimits } from './platform.ts';
import { SettingsSchema } from './schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/settings',
  operationId: 'getTenantSettings',
  tags: ['Administration'],
  summary: 'The municipality’s settings, defaults filled in',
  description:
    '`tenant:admin` or the platform admin. The answer is a valid body for `PATCH`. Message templates come from the tenant’s own database; the rest from the control database.',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: { params: TenantPathSchema },
  responses: {
    200: { description: 'The settings', content: { 'application/json': { schema: SettingsSchema } } },
    ...tenantRouteProblems(),
  },
});

export const registerGetSettings = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) =>
    c.json(
      {
        ...effectiveSettings(c.get('tenant'), platformLimits(c.get('runtime'))),
        messageTemplates: await listTemplates(c.get('db')().$client),
      },
      200,
    ),
  );
