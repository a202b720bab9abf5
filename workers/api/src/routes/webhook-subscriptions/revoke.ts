import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { actorId, recordAudit } from '@wijkteams/access';
import { revokeSubscription } from '@wijkteams/events';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireAnyScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { tenantRouteProblems } from '../schemas.ts';
import { requestEventsContext, SubscriptionPath } from './shared.ts';

const route = createRoute({
  method: 'delete',
  path: '/v1/{tenant}/webhook-subscriptions/{subscriptionId}',
  operationId: 'revokeWebhookSubscription',
  tags: ['Webhooks'],
  summary: 'Revoke a subscription: nothing more is sent, pending deliveries end as failed',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireAnyScope('tenant:admin', 'webhooks:manage')] as const,
  request: { params: SubscriptionPath },
  responses: {
    204: { description: 'Revoked' },
    ...tenantRouteProblems('not-found'),
  },
});

export const registerRevokeWebhookSubscription = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const { subscriptionId } = c.req.valid('param');
    if (!(await revokeSubscription(await requestEventsContext(c), subscriptionId)))
      throw new ApiError('not-found', 'This municipality has no such subscription');
    await recordAudit(c.get('control')(), {
      actor: actorId(c.get('actor')),
      origin: c.get('runtime').clientIp(c),
      tenantId: c.get('tenant').id,
      action: 'webhook-subscription.revoked',
      objectType: 'webhook-subscription',
      objectId: subscriptionId,
      result: 'success',
    });
    return c.body(null, 204);
  });
