import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { actorId, recordAudit } from '@wijkteams/access';
import { EVENT_TYPES } from '@wijkteams/db';
import { createSubscription, MAX_SUBSCRIPTIONS } from '@wijkteams/events';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireAnyScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { invalid } from '../requests/context.ts';
import { jsonBody, TenantPathSchema, tenantRouteProblems } from '../schemas.ts';
import { EventTypeSchema, requestEventsContext, SUBSCRIPTION_EXAMPLE, SubscriptionSchema } from './shared.ts';

const NewSubscription = z
  .strictObject({
    url: z.string().min(1).max(2_000).openapi({
      description: 'https only, to a public address (under `npm start` also http://127.0.0.1:…)',
      example: 'https://partner.example.nl/wijkteams/hooks',
    }),
    events: z
      .array(z.string().max(64))
      .min(1)
      .max(EVENT_TYPES.length)
      .openapi({
        description: `Any of: ${EVENT_TYPES.join(', ')}`,
        example: ['request.created', 'request.status_changed'],
      }),
  })
  .openapi('NewWebhookSubscription', {
    example: { url: SUBSCRIPTION_EXAMPLE.url, events: ['request.created', 'request.status_changed'] },
  });

const route = createRoute({
  method: 'post',
  path: '/v1/{tenant}/webhook-subscriptions',
  operationId: 'createWebhookSubscription',
  tags: ['Webhooks'],
  summary: 'Subscribe a partner system to events; the signing secret is shown once',
  description:
    'Deliveries follow Standard Webhooks 1.0: `POST <url>` with `webhook-id`, `webhook-timestamp` and `webhook-signature` (`v1,<base64 HMAC-SHA256>`), at least once, retried at once and after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h. Any 2xx is delivered; 410 disables the subscription.',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireAnyScope('tenant:admin', 'webhooks:manage')] as const,
  request: { params: TenantPathSchema, body: jsonBody(NewSubscription) },
  responses: {
    201: {
      description: 'Subscribed',
      content: {
        'application/json': {
          schema: SubscriptionSchema.extend({
            secret: z
              .string()
              .openapi({ description: 'Shown once', example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }),
            events: z.array(EventTypeSchema),
          }).openapi('CreatedWebhookSubscription', {
            example: { ...SUBSCRIPTION_EXAMPLE, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
          }),
        },
      },
    },
    ...tenantRouteProblems('conflict'),
  },
});

export const registerCreateWebhookSubscription = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const ctx = await requestEventsContext(c);
    const actor = actorId(c.get('actor'));
    const outcome = await createSubscription(ctx, c.req.valid('json'), actor);
    if (!outcome.ok) {
      if (outcome.reason === 'too-many')
        throw new ApiError(
          'conflict',
          `At most ${MAX_SUBSCRIPTIONS} subscriptions per municipality; revoke one first`,
        );
      throw invalid(outcome.invalidParams);
    }
    const runtime = c.get('runtime');
    await recordAudit(c.get('control')(), {
      actor,
      origin: runtime.clientIp(c),
      tenantId: c.get('tenant').id,
      action: 'webhook-subscription.created',
      objectType: 'webhook-subscription',
      objectId: outcome.subscription.id,
      result: 'success',
    });
    return c.json(outcome.subscription, 201);
  });
