import type { Client } from '@libsql/client';

/** How long the delivery log and the record of sent messages are kept. */
export const KEEP_DELIVERY_LOG_DAYS = 30;

/**
 * The outbox's own retention, for the daily job: events dispatched longer ago than `keepDays` whose
 * deliveries have all ended, those deliveries, and messages sent or given up. (What belongs to a
 * request goes earlier, with the request's own retention.) Pending work is never touched.
 */
export async function pruneOutbox(
  db: Client,
  now: Date,
  keepDays = KEEP_DELIVERY_LOG_DAYS,
): Promise<{ events: number; deliveries: number; messages: number }> {
  const before = new Date(now.getTime() - keepDays * 86_400_000).toISOString();
  const [deliveries, messages, events] = await db.batch(
    [
      {
        sql: `DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < ?`,
        args: [before],
      },
      { sql: `DELETE FROM messages WHERE status <> 'pending' AND created_at < ?`, args: [before] },
      {
        sql: `DELETE FROM outbox_events WHERE dispatched_at IS NOT NULL AND dispatched_at < ?
                AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = outbox_events.id)
                AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.event_id = outbox_events.id)`,
        args: [before],
      },
    ],
    'write',
  );
  return {
    events: events?.rowsAffected ?? 0,
    deliveries: deliveries?.rowsAffected ?? 0,
    messages: messages?.rowsAffected ?? 0,
  };
}
