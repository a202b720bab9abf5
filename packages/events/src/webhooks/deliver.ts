import type { InStatement, Row } from '@libsql/client';
import { decryptText } from '@wijkteams/intake';
import { Webhook } from 'standardwebhooks';
import { errorName } from '../channels/notify.ts';
import type { EventsContext } from '../context.ts';
import { ATTEMPT_TIMEOUT_MS, CLAIM_MS, nextAttemptAt, retryAfterMs } from './schedule.ts';
import { endPendingDeliveries, secretBinding } from './subscriptions.ts';
import { checkResolvedHost } from './url-policy.ts';

/**
 * A subscription whose deliveries fail without a single success for this long is disabled: longer
 * than one event's whole schedule (about 3.2 days), so one bad spell does not end it.
 */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3_600_000;
const CONCURRENCY = 20;

export interface DeliveryRun {
  attempted: number;
  delivered: number;
  /** Subscriptions disabled in this run, and why: `gone` (a 410) or `failing`. */
  disabled: { id: string; reason: 'gone' | 'failing' }[];
}

interface Claimed {
  id: string;
  subscriptionId: string;
  eventId: string;
  attempts: number;
}

/**
 * Attempts the deliveries that are due. Each is claimed first (its next attempt moved past the
 * attempt's own timeout), so a second sender skips it, and a sender that dies mid-attempt leaves
 * it to be tried again: at least once. The `webhook-id` is the delivery's id on every attempt.
 */
export async function deliverDueWebhooks(ctx: EventsContext, limit = 100): Promise<DeliveryRun> {
  const now = ctx.clock();
  const claimed = await claim(ctx, now, limit);
  const run: DeliveryRun = { attempted: claimed.length, delivered: 0, disabled: [] };
  if (claimed.length === 0) return run;
  const [subscriptions, events] = await ctx.db.batch(
    [
      {
        sql: `SELECT id, url, secret_ct, status, failing_since FROM webhook_subscriptions
              WHERE id IN (${claimed.map(() => '?').join(', ')})`,
        args: claimed.map((d) => d.subscriptionId),
      },
      {
        sql: `SELECT id, type, occurred_at, data FROM outbox_events WHERE id IN (${claimed.map(() => '?').join(', ')})`,
        args: claimed.map((d) => d.eventId),
      },
    ],
    'read',
  );
  const subscriptionOf = byId(subscriptions?.rows ?? []);
  const eventOf = byId(events?.rows ?? []);
  const queue = [...claimed];
  const statements: InStatement[] = [];
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
      for (let delivery = queue.shift(); delivery; delivery = queue.shift()) {
        const outcome = await attempt(
          ctx,
          delivery,
          subscriptionOf.get(delivery.subscriptionId),
          eventOf.get(delivery.eventId),
        );
        if (outcome.delivered) run.delivered += 1;
        if (outcome.disabled && !run.disabled.some((d) => d.id === delivery.subscriptionId))
          run.disabled.push({ id: delivery.subscriptionId, reason: outcome.disabled });
        statements.push(...outcome.statements);
      }
    }),
  );
  await ctx.db.batch(statements, 'write');
  return run;
}

async function claim(ctx: EventsContext, now: Date, limit: number): Promise<Claimed[]> {
  const iso = now.toISOString();
  const result = await ctx.db.execute({
    sql: `UPDATE webhook_deliveries SET next_attempt_at = ?, attempts = attempts + 1, last_attempt_at = ?
          WHERE id IN (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?
                       ORDER BY next_attempt_at LIMIT ?)
          RETURNING id, subscription_id, event_id, attempts`,
    args: [new Date(now.getTime() + (ctx.leaseMs ?? CLAIM_MS)).toISOString(), iso, iso, limit],
  });
  return result.rows.map((row) => ({
    id: String(row.id),
    subscriptionId: String(row.subscription_id),
    eventId: String(row.event_id),
    attempts: Number(row.attempts),
  }));
}

interface Outcome {
  delivered: boolean;
  disabled?: 'gone' | 'failing';
  statements: InStatement[];
}

/** The body every attempt sends, byte for byte: the event as Standard Webhooks shapes it. */
export function payloadOf(tenant: string, event: Row): string {
  const data = JSON.parse(String(event.data)) as Record<string, unknown>;
  return JSON.stringify({
    type: String(event.type),
    timestamp: String(event.occurred_at),
    data: { tenant, ...data },
  });
}

async function attempt(
  ctx: EventsContext,
  delivery: Claimed,
  subscription: Row | undefined,
  event: Row | undefined,
): Promise<Outcome> {
  const now = ctx.clock();
  if (subscription?.status !== 'active' || !event) {
    return {
      delivered: false,
      statements: [finish(delivery, 'failed', now, null, 'The subscription is no longer active')],
    };
  }
  const url = new URL(String(subscription.url));
  const refused = await checkResolvedHost(url, ctx.urlPolicy, ctx.resolveHost);
  if (refused) return failed(ctx, delivery, subscription, now, null, refused);

  const secret = await decryptText(
    ctx.encryptionKey,
    String(subscription.secret_ct),
    secretBinding(delivery.subscriptionId),
  );
  const body = payloadOf(ctx.tenant.slug, event);
  const signature = new Webhook(secret).sign(delivery.id, now, body);
  let response: Response;
  try {
    response = await (ctx.fetch ?? fetch)(url.href, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'wijkteams-webhooks/1',
        'webhook-id': delivery.id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
  } catch (error) {
    const reason =
      errorName(error) === 'TimeoutError'
        ? `No answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`
        : `Not reached: ${errorName(error)}`;
    return failed(ctx, delivery, subscription, now, null, reason);
  }
  await response.body?.cancel().catch(() => {});
  if (response.status >= 200 && response.status < 300) {
    return {
      delivered: true,
      statements: [
        finish(delivery, 'delivered', now, response.status, null),
        {
          sql: 'UPDATE webhook_subscriptions SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL',
          args: [delivery.subscriptionId],
        },
      ],
    };
  }
  if (response.status === 410) {
    // The receiver says the endpoint is gone for good: stop sending to it.
    return {
      delivered: false,
      disabled: 'gone',
      statements: [
        finish(delivery, 'failed', now, 410, 'The receiver answered 410 Gone'),
        disable(delivery.subscriptionId, 'gone', now),
        endPendingDeliveries(
          delivery.subscriptionId,
          'The subscription was disabled: the receiver answered 410 Gone',
        ),
      ],
    };
  }
  const wait =
    response.status === 429 || response.status === 503
      ? retryAfterMs(response.headers.get('Retry-After'), now)
      : undefined;
  return failed(
    ctx,
    delivery,
    subscription,
    now,
    response.status,
    `The receiver answered ${response.status}`,
    wait,
  );
}

function failed(
  _ctx: EventsContext,
  delivery: Claimed,
  subscription: Row,
  now: Date,
  statusCode: number | null,
  reason: string,
  retryAfter?: number,
): Outcome {
  const next = nextAttemptAt(
    now,
    delivery.attempts,
    retryAfter === undefined ? {} : { retryAfterMs: retryAfter },
  );
  const statements: InStatement[] = [
    next
      ? {
          sql: `UPDATE webhook_deliveries SET next_attempt_at = ?, last_status_code = ?, last_error = ? WHERE id = ?`,
          args: [next.toISOString(), statusCode, reason, delivery.id],
        }
      : finish(delivery, 'failed', now, statusCode, `${reason}; no attempts left`),
    {
      sql: 'UPDATE webhook_subscriptions SET failing_since = ? WHERE id = ? AND failing_since IS NULL',
      args: [now.toISOString(), delivery.subscriptionId],
    },
  ];
  const since = subscription.failing_since ? Date.parse(String(subscription.failing_since)) : now.getTime();
  if (now.getTime() - since >= DISABLE_AFTER_FAILING_MS) {
    statements.push(
      disable(delivery.subscriptionId, 'failing', now),
      endPendingDeliveries(
        delivery.subscriptionId,
        'The subscription was disabled after failing for five days',
      ),
    );
    return { delivered: false, disabled: 'failing', statements };
  }
  return { delivered: false, statements };
}

function finish(
  delivery: Claimed,
  status: 'delivered' | 'failed',
  now: Date,
  statusCode: number | null,
  error: string | null,
): InStatement {
  return {
    sql: `UPDATE webhook_deliveries SET status = ?, next_attempt_at = NULL, last_status_code = ?, last_error = ?,
            delivered_at = ? WHERE id = ?`,
    args: [status, statusCode, error, status === 'delivered' ? now.toISOString() : null, delivery.id],
  };
}

const disable = (id: string, reason: string, now: Date): InStatement => ({
  sql: `UPDATE webhook_subscriptions SET status = 'disabled', disabled_reason = ?, changed_at = ? WHERE id = ? AND status = 'active'`,
  args: [reason, now.toISOString(), id],
});

function byId(rows: Row[]): Map<string, Row> {
  return new Map(rows.map((row) => [String(row.id), row]));
}
