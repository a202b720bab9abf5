import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The transactional outbox (`@wijkteams/events`). Triggers of migration `outbox_triggers` write an
 * event row in the same statement as the change it tells of (a request's step, a redemption, a
 * voiding), so no change goes untold and no event is told of a change that did not happen. A
 * sender later fans each event out to webhook deliveries and messages, and delivers those with
 * retries; the rows here are the truth, so a crash between change and delivery loses nothing.
 */

export const EVENT_TYPES = [
  'request.created',
  'request.status_changed',
  'offer.created',
  'offer.answered',
  'voucher.redeemed',
  'voucher.voided',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const SUBSCRIPTION_STATUSES = ['active', 'disabled', 'revoked'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export const MESSAGE_CHANNELS = ['email', 'sms'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

export const MESSAGE_STATUSES = ['pending', 'sent', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

export const outboxEvents = sqliteTable(
  'outbox_events',
  {
    /** The order events happened in. */
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull().unique(),
    type: text('type', { enum: EVENT_TYPES }).notNull(),
    occurredAt: text('occurred_at').notNull(),
    /** A request's reference or a voucher's code. */
    reference: text('reference'),
    /** Set for request events: retention deletes them with the request. */
    requestId: text('request_id'),
    /** The thin payload (JSON): ids, statuses, cents, times; never personal data. */
    data: text('data').notNull(),
    /**
     * What only the change knew and a message needs (the status token shown once at intake), as
     * AES-GCM ciphertext under the tenant's key; erased when the event is dispatched.
     */
    secretCt: text('secret_ct'),
    /** When its deliveries and messages were made; null while the sender has yet to see it. */
    dispatchedAt: text('dispatched_at'),
  },
  (t) => [
    index('outbox_events_undispatched_idx').on(t.dispatchedAt, t.seq),
    index('outbox_events_request_idx').on(t.requestId),
  ],
);

export const webhookSubscriptions = sqliteTable(
  'webhook_subscriptions',
  {
    id: text('id').primaryKey(),
    url: text('url').notNull(),
    /** JSON array of event types. */
    events: text('events').notNull(),
    /** The `whsec_` secret, AES-GCM under the tenant's key: it signs every delivery. */
    secretCt: text('secret_ct').notNull(),
    status: text('status', { enum: SUBSCRIPTION_STATUSES }).notNull().default('active'),
    /** Why it was disabled: `gone` (a 410), `failing` (failures on several days in a row). */
    disabledReason: text('disabled_reason'),
    /** The first failed attempt since the last success; reset by a success. */
    failingSince: text('failing_since'),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull().default(now),
    changedAt: text('changed_at').notNull().default(now),
  },
  (t) => [check('webhook_subscriptions_status', sql`${t.status} IN ('active', 'disabled', 'revoked')`)],
);

export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    /** Sent as `webhook-id`: the same on every attempt, so a receiver can drop duplicates. */
    id: text('id').primaryKey(),
    subscriptionId: text('subscription_id')
      .notNull()
      .references(() => webhookSubscriptions.id),
    eventId: text('event_id').notNull(),
    eventType: text('event_type', { enum: EVENT_TYPES }).notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at'),
    lastAttemptAt: text('last_attempt_at'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: text('delivered_at'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_once').on(t.subscriptionId, t.eventId),
    index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_subscription_idx').on(t.subscriptionId, t.createdAt),
    check('webhook_deliveries_status', sql`${t.status} IN ('pending', 'delivered', 'failed')`),
  ],
);

export const messages = sqliteTable(
  'messages',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    /** The request's reference, where the message is about one. */
    reference: text('reference'),
    /** Who it is for: `resident`, `provider`. */
    recipient: text('recipient').notNull(),
    channel: text('channel', { enum: MESSAGE_CHANNELS }).notNull(),
    language: text('language').notNull(),
    /** The address and the rendered subject and body, AES-GCM; erased once sent or given up. */
    toCt: text('to_ct'),
    contentCt: text('content_ct'),
    status: text('status', { enum: MESSAGE_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at'),
    lastError: text('last_error'),
    /** The Notify notification id, or the SMTP message id. */
    providerMessageId: text('provider_message_id'),
    sentAt: text('sent_at'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('messages_once').on(t.eventId, t.recipient, t.channel),
    index('messages_due_idx').on(t.status, t.nextAttemptAt),
    index('messages_reference_idx').on(t.reference),
    check('messages_status', sql`${t.status} IN ('pending', 'sent', 'failed')`),
    check(
      'messages_sent_has_no_personal_data',
      sql`${t.status} = 'pending' OR (${t.toCt} IS NULL AND ${t.contentCt} IS NULL)`,
    ),
  ],
);

/** A tenant's own wording of a message; the built-in one is used where it has none. */
export const messageTemplates = sqliteTable(
  'message_templates',
  {
    /** `request.created`, `request.accepted`, `request.resolved`, `request.referred`, `offer.created`, … */
    kind: text('kind').notNull(),
    language: text('language').notNull(),
    channel: text('channel', { enum: MESSAGE_CHANNELS }).notNull(),
    /** E-mail only. */
    subject: text('subject'),
    body: text('body').notNull(),
    changedAt: text('changed_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.kind, t.language, t.channel] })],
);

export type OutboxEvent = typeof outboxEvents.$inferSelect;
export type WebhookSubscription = typeof webhookSubscriptions.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type Message = typeof messages.$inferSelect;
export type MessageTemplate = typeof messageTemplates.$inferSelect;
