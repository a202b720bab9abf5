import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { registerCreateWebhookSubscription } from './create.ts';
import { registerWebhookDeliveryRoutes } from './deliveries.ts';
import { registerListWebhookSubscriptions } from './list.ts';
import { registerRevokeWebhookSubscription } from './revoke.ts';

export function registerWebhookRoutes(app: OpenAPIHono<AppEnv>) {
  registerCreateWebhookSubscription(app);
  registerListWebhookSubscriptions(app);
  registerRevokeWebhookSubscription(app);
  registerWebhookDeliveryRoutes(app);
}
