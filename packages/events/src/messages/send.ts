import type { InStatement } from '@libsql/client';
import { decryptText } from '@wijkteams/intake';
import type { SendResult } from '../channels/types.ts';
import type { EventsContext } from '../context.ts';
import { CLAIM_MS } from '../webhooks/schedule.ts';
import { contentBinding, toBinding } from './compose.ts';
import type { Template } from './templates.ts';

/** A message that cannot go yet is tried again after these pauses, then given up (about a day). */
export const MESSAGE_RETRY_DELAYS_MS = [
  0,
  30_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  6 * 3_600_000,
  16 * 3_600_000,
];
const CONCURRENCY = 10;

/**
 * Sends the messages that are due, each claimed first like a webhook delivery. Once a message has
 * gone (or will never go) its address and text are erased: only that it was sent, when, and the
 * channel's id for it remain.
 */
export async function sendDueMessages(
  ctx: EventsContext,
  limit = 50,
): Promise<{ attempted: number; sent: number }> {
  const now = ctx.clock();
  const iso = now.toISOString();
  const claimed = await ctx.db.execute({
    sql: `UPDATE messages SET next_attempt_at = ?, attempts = attempts + 1
          WHERE id IN (SELECT id FROM messages WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?)
          RETURNING id, event_type, reference, channel, to_ct, content_ct, attempts`,
    args: [new Date(now.getTime() + (ctx.leaseMs ?? CLAIM_MS)).toISOString(), iso, limit],
  });
  const queue = [...claimed.rows];
  const statements: InStatement[] = [];
  let sent = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        const id = String(row.id);
        const channel = String(row.channel) as 'email' | 'sms';
        const send = ctx.channels[channel];
        let result: SendResult;
        if (!send) {
          // Kept for a day, so that a channel configured late still sends it.
          result = { ok: false, retry: true, error: `No ${channel} channel is configured` };
        } else if (row.to_ct === null || row.content_ct === null) {
          result = { ok: false, retry: false, error: 'Nothing left to send' };
        } else {
          const to = await decryptText(ctx.encryptionKey, String(row.to_ct), toBinding(id));
          const content = JSON.parse(
            await decryptText(ctx.encryptionKey, String(row.content_ct), contentBinding(id)),
          ) as Template;
          result = await send({
            id,
            channel,
            to,
            subject: content.subject,
            body: content.body,
            tenant: ctx.tenant.slug,
            event: String(row.event_type),
            reference: row.reference === null ? null : String(row.reference),
          });
        }
        if (result.ok) sent += 1;
        statements.push(outcomeStatement(id, Number(row.attempts), result, ctx.clock()));
      }
    }),
  );
  if (statements.length > 0) await ctx.db.batch(statements, 'write');
  return { attempted: claimed.rows.length, sent };
}

function outcomeStatement(id: string, attempts: number, result: SendResult, now: Date): InStatement {
  if (result.ok) {
    return {
      sql: `UPDATE messages SET status = 'sent', sent_at = ?, provider_message_id = ?, to_ct = NULL, content_ct = NULL,
              next_attempt_at = NULL, last_error = NULL WHERE id = ?`,
      args: [now.toISOString(), result.providerMessageId, id],
    };
  }
  const delay = result.retry ? MESSAGE_RETRY_DELAYS_MS[attempts] : undefined;
  if (delay === undefined) {
    return {
      sql: `UPDATE messages SET status = 'failed', to_ct = NULL, content_ct = NULL, next_attempt_at = NULL, last_error = ?
            WHERE id = ?`,
      args: [result.error.slice(0, 300), id],
    };
  }
  const wait = Math.max(delay, result.retryAfterMs ?? 0);
  return {
    sql: 'UPDATE messages SET next_attempt_at = ?, last_error = ? WHERE id = ?',
    args: [new Date(now.getTime() + wait).toISOString(), result.error.slice(0, 300), id],
  };
}
