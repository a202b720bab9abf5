import type { InStatement } from '@libsql/client';
import { newId, type OutboxEvent, outboxEvents, tenantDb, webhookSubscriptions } from '@wijkteams/db';
import { asc, eq, isNull } from 'drizzle-orm';
import type { EventsContext } from './context.ts';
import { type ComposeContext, composeMessages } from './messages/compose.ts';
import { listTemplates } from './messages/templates.ts';

const COMPOSE_AT_ONCE = 10;

export const DISPATCH_BATCH = 100;

/**
 * Fans events out: a delivery for every active subscription that wants the event's type, and the
 * messages it sends to people. One write batch per event makes them and marks the event
 * dispatched (erasing what only the messages needed). Deliveries and messages are unique per
 * event, and the mark is guarded, so two senders dispatching the same event make them once.
 */
export async function dispatchEvents(ctx: EventsContext, limit = DISPATCH_BATCH): Promise<number> {
  const db = tenantDb(ctx.db);
  const [events, subscriptions] = await db.batch([
    db
      .select()
      .from(outboxEvents)
      .where(isNull(outboxEvents.dispatchedAt))
      .orderBy(asc(outboxEvents.seq))
      .limit(limit),
    db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.status, 'active')),
  ]);
  if (events.length === 0) return 0;
  const wanted = subscriptions.map((s) => ({ id: s.id, events: new Set(JSON.parse(s.events) as string[]) }));
  const at = ctx.clock().toISOString();
  const composing: ComposeContext = { ...ctx, wording: listTemplates(ctx.db) };
  // Messages are composed a few at a time: each reads its request and decrypts its contact.
  const composed: InStatement[][] = [];
  for (let i = 0; i < events.length; i += COMPOSE_AT_ONCE) {
    composed.push(
      ...(await Promise.all(events.slice(i, i + COMPOSE_AT_ONCE).map((e) => composeMessages(composing, e)))),
    );
  }
  const statements: InStatement[] = [];
  for (const [index, event] of events.entries()) {
    for (const subscription of wanted) {
      if (!subscription.events.has(event.type)) continue;
      statements.push({
        sql: `INSERT OR IGNORE INTO webhook_deliveries (id, subscription_id, event_id, event_type, status, attempts,
                next_attempt_at, created_at)
              VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)`,
        args: [newId('msg'), subscription.id, event.id, event.type, at, at],
      });
    }
    statements.push(...(composed[index] ?? []), markDispatched(event, at));
  }
  await ctx.db.batch(statements, 'write');
  return events.length;
}

const markDispatched = (event: OutboxEvent, at: string): InStatement => ({
  sql: 'UPDATE outbox_events SET dispatched_at = ?, secret_ct = NULL WHERE seq = ? AND dispatched_at IS NULL',
  args: [at, event.seq],
});
