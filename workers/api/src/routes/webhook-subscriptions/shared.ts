import { z } from '@hono/zod-openapi';
import { EVENT_TYPES } from '@wijkteams/db';
import type { EventsContext } from '@wijkteams/events';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { eventsContext } from '../../events.ts';
import { EXAMPLE, TenantParam } from '../schemas.ts';

export const SUBSCRIPTION_EXAMPLE = {
  id: 'whs_01jdq2v6k8x7r0m4c9z3f5h2ab',
  url: 'https://partner.example.nl/wijkteams/hooks',
  events: ['request.created', 'request.status_changed'],
  status: 'active',
  disabledReason: null,
  createdAt: EXAMPLE.at,
} as const;

export const DELIVERY_EXAMPLE = {
  id: 'msg_01jdq2v6k8x7r0m4c9z3f5h2ac',
  event: 'request.created',
  eventId: 'evt_01jdq2v6k8x7r0m4c9z3f5h2ad',
  status: 'pending',
  attempts: 2,
  lastStatusCode: 503,
  lastError: null,
  lastAttemptAt: EXAMPLE.at,
  nextAttemptAt: EXAMPLE.later,
  deliveredAt: null,
  createdAt: EXAMPLE.at,
} as const;

/** The outbox's context on this request's tenant database. */
export function requestEventsContext(c: Context<AppEnv>): Promise<EventsContext> {
  return eventsContext(c.get('runtime'), c.get('tenant'), c.get('db')().$client);
}

export const SubscriptionIdParam = z
  .string()
  .regex(/^whs_[0-9a-z]{26}$/, 'Not a subscription id')
  .openapi({ param: { name: 'subscriptionId', in: 'path' }, example: 'whs_01jdq2v6k8x7r0m4c9z3f5h2ab' });

export const SubscriptionPath = z.object({ tenant: TenantParam, subscriptionId: SubscriptionIdParam });

export const EventTypeSchema = z.enum(EVENT_TYPES).openapi('WebhookEventType');

export const SubscriptionSchema = z
  .object({
    id: z.string().openapi({ example: 'whs_01jdq2v6k8x7r0m4c9z3f5h2ab' }),
    url: z.string().openapi({ example: 'https://partner.example.nl/wijkteams/hooks' }),
    events: z.array(EventTypeSchema),
    status: z.enum(['active', 'disabled', 'revoked']),
    disabledReason: z.string().nullable().openapi({
      description: '`gone`: the receiver answered 410; `failing`: every attempt failed for five days',
    }),
    createdAt: z.string().datetime(),
  })
  .openapi('WebhookSubscription', { example: SUBSCRIPTION_EXAMPLE });

export const DeliverySchema = z
  .object({
    id: z.string().openapi({
      description: 'Sent as `webhook-id`, the same on every attempt',
      example: 'msg_01jdq2v6k8x7r0m4c9z3f5h2ac',
    }),
    event: EventTypeSchema,
    eventId: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    lastAttemptAt: z.string().datetime().nullable(),
    nextAttemptAt: z.string().datetime().nullable(),
    deliveredAt: z.string().datetime().nullable(),
    createdAt: z.string().datetime(),
  })
  .openapi('WebhookDelivery', { example: DELIVERY_EXAMPLE });
