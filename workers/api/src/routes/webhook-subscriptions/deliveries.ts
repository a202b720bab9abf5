import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { findSubscription, listDeliveries, redeliver } from '@wijkteams/events';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireAnyScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { tenantRouteProblems } from '../schemas.ts';
import { DELIVERY_EXAMPLE, DeliverySchema, requestEventsContext, SubscriptionPath } from './shared.ts';

const DeliveryIdParam = z
  .string()
  .regex(/^msg_[0-9a-z]{26}$/, 'Not a delivery id')
  .openapi({ param: { name: 'deliveryId', in: 'path' }, example: 'msg_01jdq2v6k8x7r0m4c9z3f5h2ac' });

const list = createRoute({
  method: 'get',
  path: '/v1/{tenant}/webhook-subscriptions/{subscriptionId}/deliveries',
  operationId: 'listWebhookDeliveries',
  tags: ['Webhooks'],
  summary: 'The delivery log of a subscription, newest first: status, attempts, last answer, next attempt',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireAnyScope('tenant:admin', 'webhooks:manage')] as const,
  request: {
    params: SubscriptionPath,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).optional().openapi({ example: 50 }),
      before: z
        .string()
        .regex(/^msg_[0-9a-z]{26}$/)
        .optional()
        .openapi({ description: 'A delivery id: the page after it' }),
    }),
  },
  responses: {
    200: {
      description: 'Deliveries',
      content: {
        'application/json': {
          schema: z
            .object({ deliveries: z.array(DeliverySchema) })
            .openapi('WebhookDeliveryList', { example: { deliveries: [DELIVERY_EXAMPLE] } }),
        },
      },
    },
    ...tenantRouteProblems('not-found'),
  },
});

const retry = createRoute({
  method: 'post',
  path: '/v1/{tenant}/webhook-subscriptions/{subscriptionId}/deliveries/{deliveryId}/retries',
  operationId: 'retryWebhookDelivery',
  tags: ['Webhooks'],
  summary: 'Send a delivery that failed again, with a fresh schedule and the same webhook-id',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireAnyScope('tenant:admin', 'webhooks:manage')] as const,
  request: { params: SubscriptionPath.extend({ deliveryId: DeliveryIdParam }) },
  responses: {
    202: { description: 'Queued', content: { 'application/json': { schema: DeliverySchema } } },
    ...tenantRouteProblems('not-found'),
  },
});

export function registerWebhookDeliveryRoutes(app: OpenAPIHono<AppEnv>) {
  registerRoute(app, list, async (c) => {
    const { subscriptionId } = c.req.valid('param');
    const { limit, before } = c.req.valid('query');
    const ctx = await requestEventsContext(c);
    if (!(await findSubscription(ctx, subscriptionId)))
      throw new ApiError('not-found', 'This municipality has no such subscription');
    const deliveries = await listDeliveries(ctx, subscriptionId, {
      ...(limit === undefined ? {} : { limit }),
      ...(before === undefined ? {} : { before }),
    });
    return c.json({ deliveries }, 200);
  });
  registerRoute(app, retry, async (c) => {
    const { subscriptionId, deliveryId } = c.req.valid('param');
    const delivery = await redeliver(await requestEventsContext(c), subscriptionId, deliveryId);
    if (!delivery)
      throw new ApiError(
        'not-found',
        'No delivery of an active subscription with this id that is not yet delivered',
      );
    return c.json(delivery, 202);
  });
}
