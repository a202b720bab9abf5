import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { listSubscriptions } from '@wijkteams/events';
import type { AppEnv } from '../../context.ts';
import { requireAnyScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { TenantPathSchema, tenantRouteProblems } from '../schemas.ts';
import { requestEventsContext, SUBSCRIPTION_EXAMPLE, SubscriptionSchema } from './shared.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/webhook-subscriptions',
  operationId: 'listWebhookSubscriptions',
  tags: ['Webhooks'],
  summary: 'The subscriptions that are not revoked; never their secrets',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireAnyScope('tenant:admin', 'webhooks:manage')] as const,
  request: { params: TenantPathSchema },
  responses: {
    200: {
      description: 'Subscriptions, oldest first',
      content: {
        'application/json': {
          schema: z
            .object({ subscriptions: z.array(SubscriptionSchema) })
            .openapi('WebhookSubscriptionList', {
              example: { subscriptions: [SUBSCRIPTION_EXAMPLE] },
            }),
        },
      },
    },
    ...tenantRouteProblems(),
  },
});

export const registerListWebhookSubscriptions = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const subscriptions = await listSubscriptions(await requestEventsContext(c));
    return c.json({ subscriptions }, 200);
  });
