import type { EventsContext } from './context.ts';
import { DISPATCH_BATCH, dispatchEvents } from './dispatch.ts';
import { sendDueMessages } from './messages/send.ts';
import { type DeliveryRun, deliverDueWebhooks } from './webhooks/deliver.ts';

export interface OutboxRun {
  dispatched: number;
  attempted: number;
  delivered: number;
  sent: number;
  disabled: DeliveryRun['disabled'];
  /** When this tenant next has something to do; undefined when nothing is pending. */
  nextDueAt: Date | undefined;
}

/** Rounds per run: a run does a bounded amount of work, and says when to come back. */
const MAX_ROUNDS = 20;

/**
 * One pass of the sender for one tenant: dispatch new events, attempt due deliveries and send due
 * messages, round after round until nothing is due now (or the round budget is spent). Safe to
 * run anywhere, any number of times, at once: every step claims or guards what it takes.
 */
export async function deliverOutbox(ctx: EventsContext): Promise<OutboxRun> {
  const run: OutboxRun = {
    dispatched: 0,
    attempted: 0,
    delivered: 0,
    sent: 0,
    disabled: [],
    nextDueAt: undefined,
  };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const dispatched = await dispatchEvents(ctx);
    const [deliveries, messages] = await Promise.all([deliverDueWebhooks(ctx), sendDueMessages(ctx)]);
    run.dispatched += dispatched;
    run.attempted += deliveries.attempted + messages.attempted;
    run.delivered += deliveries.delivered;
    run.sent += messages.sent;
    run.disabled.push(...deliveries.disabled);
    if (dispatched < DISPATCH_BATCH && deliveries.attempted === 0 && messages.attempted === 0) break;
  }
  run.nextDueAt = await nextDueAt(ctx);
  return run;
}

/** The earliest pending attempt, or now while events wait to be dispatched. */
export async function nextDueAt(ctx: EventsContext): Promise<Date | undefined> {
  const result = await ctx.db.execute(
    `SELECT EXISTS (SELECT 1 FROM outbox_events WHERE dispatched_at IS NULL) AS undispatched,
            (SELECT min(next_attempt_at) FROM webhook_deliveries WHERE status = 'pending') AS delivery,
            (SELECT min(next_attempt_at) FROM messages WHERE status = 'pending') AS message`,
  );
  const row = result.rows[0];
  if (!row) return undefined;
  if (Number(row.undispatched) === 1) return ctx.clock();
  const times = [row.delivery, row.message]
    .filter((t) => t !== null && t !== undefined)
    .map((t) => Date.parse(String(t)));
  return times.length === 0 ? undefined : new Date(Math.min(...times));
}
