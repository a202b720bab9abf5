import type { InStatement } from '@libsql/client';
import {
  EVENT_TYPES,
  type EventType,
  newId,
  tenantDb,
  type WebhookDelivery,
  type WebhookSubscription,
  webhookDeliveries,
  webhookSubscriptions,
} from '@wijkteams/db';
import { encryptText, type InvalidParam } from '@wijkteams/intake';
import { and, desc, eq, lt, ne } from 'drizzle-orm';
import type { EventsContext } from '../context.ts';
import { checkWebhookUrl } from './url-policy.ts';

/** A tenant's subscriptions that are not revoked; each one costs a delivery per event. */
export const MAX_SUBSCRIPTIONS = 25;
export const MAX_DELIVERIES_PAGE = 100;

export interface SubscriptionView {
  id: string;
  url: string;
  events: EventType[];
  status: WebhookSubscription['status'];
  disabledReason: string | null;
  createdAt: string;
}

export interface DeliveryView {
  id: string;
  event: EventType;
  eventId: string;
  status: WebhookDelivery['status'];
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export type CreateOutcome =
  | { ok: true; subscription: SubscriptionView & { secret: string } }
  | { ok: false; reason: 'invalid-input'; invalidParams: InvalidParam[] }
  | { ok: false; reason: 'too-many' };

/** The signing secret, as Standard Webhooks writes it: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  let binary = '';
  for (const byte of crypto.getRandomValues(new Uint8Array(32))) binary += String.fromCharCode(byte);
  return `whsec_${btoa(binary)}`;
}

export const secretBinding = (subscriptionId: string) => `${subscriptionId}:secret`;

export async function createSubscription(
  ctx: EventsContext,
  input: { url: string; events: string[] },
  createdBy: string,
): Promise<CreateOutcome> {
  const invalidParams: InvalidParam[] = [];
  const url = checkWebhookUrl(input.url, ctx.urlPolicy);
  if (!url.ok) invalidParams.push({ name: 'url', reason: url.reason });
  input.events.forEach((event, i) => {
    if (!(EVENT_TYPES as readonly string[]).includes(event))
      invalidParams.push({
        name: `events.${i}`,
        reason: `Unknown event type; one of ${EVENT_TYPES.join(', ')}`,
      });
  });
  if (new Set(input.events).size !== input.events.length)
    invalidParams.push({ name: 'events', reason: 'Each event type once' });
  if (invalidParams.length > 0 || !url.ok) return { ok: false, reason: 'invalid-input', invalidParams };

  const id = newId('whs');
  const secret = newWebhookSecret();
  const at = ctx.clock().toISOString();
  const events = input.events as EventType[];
  // Counted inside the write, so two concurrent creations cannot both pass the bound.
  const [insert] = await ctx.db.batch(
    [
      {
        sql: `INSERT INTO webhook_subscriptions (id, url, events, secret_ct, status, created_by, created_at, changed_at)
              SELECT ?, ?, ?, ?, 'active', ?, ?, ?
              WHERE (SELECT count(*) FROM webhook_subscriptions WHERE status <> 'revoked') < ?`,
        args: [
          id,
          url.url.href,
          JSON.stringify(events),
          await encryptText(ctx.encryptionKey, secret, secretBinding(id)),
          createdBy,
          at,
          at,
          MAX_SUBSCRIPTIONS,
        ],
      },
    ],
    'write',
  );
  if (insert?.rowsAffected !== 1) return { ok: false, reason: 'too-many' };
  return {
    ok: true,
    subscription: {
      id,
      url: url.url.href,
      events,
      status: 'active',
      disabledReason: null,
      createdAt: at,
      secret,
    },
  };
}

export async function listSubscriptions(ctx: EventsContext): Promise<SubscriptionView[]> {
  const rows = await tenantDb(ctx.db)
    .select()
    .from(webhookSubscriptions)
    .where(ne(webhookSubscriptions.status, 'revoked'))
    .orderBy(webhookSubscriptions.createdAt);
  return rows.map(presentSubscription);
}

export async function findSubscription(
  ctx: EventsContext,
  id: string,
): Promise<WebhookSubscription | undefined> {
  return tenantDb(ctx.db)
    .select()
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.id, id), ne(webhookSubscriptions.status, 'revoked')))
    .get();
}

/** Revokes a subscription: nothing more is sent to it, and its pending deliveries end as failed. */
export async function revokeSubscription(ctx: EventsContext, id: string): Promise<boolean> {
  const at = ctx.clock().toISOString();
  const [revoke] = await ctx.db.batch(
    [
      {
        sql: `UPDATE webhook_subscriptions SET status = 'revoked', changed_at = ? WHERE id = ? AND status <> 'revoked'`,
        args: [at, id],
      },
      endPendingDeliveries(id, 'The subscription was revoked'),
    ],
    'write',
  );
  return revoke?.rowsAffected === 1;
}

export function endPendingDeliveries(subscriptionId: string, why: string): InStatement {
  return {
    sql: `UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, last_error = ?
          WHERE subscription_id = ? AND status = 'pending'`,
    args: [why, subscriptionId],
  };
}

/** The newest deliveries first, `before` a delivery id for the next page. */
export async function listDeliveries(
  ctx: EventsContext,
  subscriptionId: string,
  options: { limit?: number; before?: string } = {},
): Promise<DeliveryView[]> {
  const limit = Math.min(options.limit ?? 50, MAX_DELIVERIES_PAGE);
  const rows = await tenantDb(ctx.db)
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.subscriptionId, subscriptionId),
        options.before ? lt(webhookDeliveries.id, options.before) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(limit);
  return rows.map(presentDelivery);
}

/**
 * Sends a delivery again by hand, with a fresh schedule: a failed one (or a pending one at once).
 * The `webhook-id` stays, so a receiver that did get it can still drop the duplicate.
 */
export async function redeliver(
  ctx: EventsContext,
  subscriptionId: string,
  deliveryId: string,
): Promise<DeliveryView | undefined> {
  const at = ctx.clock().toISOString();
  const [update] = await ctx.db.batch(
    [
      {
        sql: `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL
              WHERE id = ? AND subscription_id = ? AND status <> 'delivered'
                AND EXISTS (SELECT 1 FROM webhook_subscriptions WHERE id = ? AND status = 'active')`,
        args: [at, deliveryId, subscriptionId, subscriptionId],
      },
    ],
    'write',
  );
  if (update?.rowsAffected !== 1) return undefined;
  const row = await tenantDb(ctx.db)
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.id, deliveryId))
    .get();
  return row && presentDelivery(row);
}

export function presentSubscription(row: WebhookSubscription): SubscriptionView {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as EventType[],
    status: row.status,
    disabledReason: row.disabledReason,
    createdAt: row.createdAt,
  };
}

export function presentDelivery(row: WebhookDelivery): DeliveryView {
  return {
    id: row.id,
    event: row.eventType,
    eventId: row.eventId,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    lastAttemptAt: row.lastAttemptAt,
    nextAttemptAt: row.nextAttemptAt,
    deliveredAt: row.deliveredAt,
    createdAt: row.createdAt,
  };
}
