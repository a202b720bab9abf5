import { transition } from '@wijkteams/intake';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { STAFF } from '../../intake/test/helpers.ts';
import {
  checkWebhookUrl,
  createSubscription,
  deliverOutbox,
  listDeliveries,
  listSubscriptions,
  nextAttemptAt,
  redeliver,
  revokeSubscription,
} from '../src/index.ts';
import { eventsWorldPerTest, rows, startReceiver } from './helpers.ts';

async function subscribe(
  t: ReturnType<typeof eventsWorldPerTest>,
  url: string,
  events = ['request.created', 'request.status_changed'],
) {
  const created = await createSubscription(t.ctx, { url, events }, 'key:admin');
  if (!created.ok) throw new Error(JSON.stringify(created));
  return created.subscription;
}

const advance = (t: ReturnType<typeof eventsWorldPerTest>, ms: number) =>
  t.world.ctx.setNow(new Date(t.world.ctx.clock().getTime() + ms));

describe('webhooks', () => {
  const t = eventsWorldPerTest();

  it('delivers an event signed by Standard Webhooks, thin and without personal data', async () => {
    // Receivers check the signed timestamp against their own clock.
    t.world.ctx.setNow(new Date());
    const receiver = await startReceiver([200]);
    const subscription = await subscribe(t, receiver.url);
    expect(subscription.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const { reference } = await t.world.submit();
    const run = await deliverOutbox(t.ctx);
    expect(run).toMatchObject({ dispatched: 1, delivered: 1, sent: 1 });
    expect(receiver.received).toHaveLength(1);
    const [{ headers, body }] = receiver.received as [(typeof receiver.received)[number]];
    const verified = new Webhook(subscription.secret).verify(body, {
      'webhook-id': String(headers['webhook-id']),
      'webhook-timestamp': String(headers['webhook-timestamp']),
      'webhook-signature': String(headers['webhook-signature']),
    }) as { type: string; data: Record<string, unknown> };
    expect(verified).toMatchObject({
      type: 'request.created',
      data: { tenant: 'groningen', reference, status: 'received', category: 'odd-jobs' },
    });
    expect(body).not.toMatch(/Jantje|dakgoot|example\.nl|06 12/);
    const [delivery] = await listDeliveries(t.ctx, subscription.id);
    expect(delivery).toMatchObject({
      id: headers['webhook-id'],
      event: 'request.created',
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 200,
    });
    await receiver.close();
  });

  it('retries a receiver that answered 503 once, with the same webhook-id, on the next attempt', async () => {
    const receiver = await startReceiver([503, 200]);
    const subscription = await subscribe(t, receiver.url);
    await t.world.submit();
    const first = await deliverOutbox(t.ctx);
    expect(first.delivered).toBe(0);
    const due = first.nextDueAt as Date;
    // The second attempt is due 5 s later (plus at most 10% jitter).
    expect(due.getTime() - t.world.ctx.clock().getTime()).toBeGreaterThanOrEqual(5_000);
    expect(due.getTime() - t.world.ctx.clock().getTime()).toBeLessThanOrEqual(5_500);
    expect((await deliverOutbox(t.ctx)).attempted).toBe(0); // not due yet
    t.world.ctx.setNow(due);
    expect((await deliverOutbox(t.ctx)).delivered).toBe(1);
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([
      receiver.received[0]?.headers['webhook-id'],
      receiver.received[0]?.headers['webhook-id'],
    ]);
    expect(receiver.received[0]?.body).toBe(receiver.received[1]?.body);
    const [delivery] = await listDeliveries(t.ctx, subscription.id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 2 });
    await receiver.close();
  });

  it('follows the schedule to the tenth attempt, then fails; by hand it is sent again', async () => {
    const receiver = await startReceiver(Array(10).fill(500));
    const subscription = await subscribe(t, receiver.url);
    await t.world.submit();
    for (let attempt = 1; attempt <= 10; attempt++) {
      const run = await deliverOutbox(t.ctx);
      expect(run.attempted).toBeGreaterThanOrEqual(1);
      if (run.nextDueAt) t.world.ctx.setNow(run.nextDueAt);
    }
    expect(receiver.received).toHaveLength(10);
    const [failed] = await listDeliveries(t.ctx, subscription.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 10, lastStatusCode: 500 });
    // 75 h 35 min of pauses (plus up to 10% jitter) from the first attempt to the last.
    const start = new Date('2026-03-02T09:00:00.000Z').getTime();
    const span = Date.parse(String(failed?.lastAttemptAt)) - start;
    expect(span).toBeGreaterThanOrEqual(272_105_000);
    expect(span).toBeLessThanOrEqual(272_105_000 * 1.1);
    const again = await redeliver(t.ctx, subscription.id, String(failed?.id));
    expect(again).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await deliverOutbox(t.ctx)).delivered).toBe(1);
    await receiver.close();
  });

  it('honours Retry-After on 429 and 503', async () => {
    const receiver = await startReceiver([{ status: 429, headers: { 'Retry-After': '120' } }, 200]);
    await subscribe(t, receiver.url);
    await t.world.submit();
    const run = await deliverOutbox(t.ctx);
    expect((run.nextDueAt as Date).getTime() - t.world.ctx.clock().getTime()).toBe(120_000);
    await receiver.close();
  });

  it('disables a subscription on 410 Gone, and one that fails for five days in a row', async () => {
    const gone = await startReceiver([410]);
    const first = await subscribe(t, gone.url);
    await t.world.submit();
    const run = await deliverOutbox(t.ctx);
    expect(run.disabled).toEqual([{ id: first.id, reason: 'gone' }]);
    expect((await listSubscriptions(t.ctx))[0]).toMatchObject({ status: 'disabled', disabledReason: 'gone' });
    await gone.close();

    const down = await startReceiver(Array(1000).fill(503));
    const second = await subscribe(t, down.url);
    let disabled: unknown[] = [];
    for (let day = 0; day < 8 && disabled.length === 0; day++) {
      const { reference } = await t.world.submit();
      await transition(t.world.ctx, reference, 'cancelled', STAFF);
      for (let i = 0; i < 6 && disabled.length === 0; i++) {
        disabled = (await deliverOutbox(t.ctx)).disabled;
        advance(t, 4 * 3_600_000);
      }
    }
    expect(disabled).toEqual([{ id: second.id, reason: 'failing' }]);
    const since = Date.parse(
      String(
        (await rows(t.world, 'SELECT failing_since FROM webhook_subscriptions WHERE id = ?', [second.id]))[0]
          ?.failing_since,
      ),
    );
    expect(t.world.ctx.clock().getTime() - since).toBeGreaterThanOrEqual(5 * 86_400_000);
    const pending = await rows(
      t.world,
      `SELECT count(*) AS n FROM webhook_deliveries WHERE subscription_id = ? AND status = 'pending'`,
      [second.id],
    );
    expect(pending[0]?.n).toBe(0);
    await down.close();
  });

  it('cuts off a receiver that does not answer within 15 s and counts it as a failed attempt', async () => {
    let aborted = false;
    t.ctx.fetch = (_url, init) =>
      new Promise((_resolve, reject) => {
        const signal = init?.signal as AbortSignal;
        signal.addEventListener('abort', () => {
          aborted = true;
          reject(signal.reason);
        });
        // A real clock: AbortSignal.timeout cannot be faked; make the test's signal fire now.
        queueMicrotask(() =>
          (signal as AbortSignal & { dispatchEvent: (e: Event) => boolean }).dispatchEvent(
            new Event('abort'),
          ),
        );
      });
    const subscription = await subscribe(t, 'http://127.0.0.1:9/hooks');
    await t.world.submit();
    await deliverOutbox(t.ctx);
    expect(aborted).toBe(true);
    const [delivery] = await listDeliveries(t.ctx, subscription.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1 });
    expect(delivery?.lastError).toMatch(/No answer within 15 s|Not reached/);
  });

  it('stops delivering to a revoked subscription', async () => {
    const receiver = await startReceiver([500]);
    const subscription = await subscribe(t, receiver.url);
    await t.world.submit();
    await deliverOutbox(t.ctx);
    expect(await revokeSubscription(t.ctx, subscription.id)).toBe(true);
    expect(await revokeSubscription(t.ctx, subscription.id)).toBe(false);
    advance(t, 60_000);
    expect((await deliverOutbox(t.ctx)).attempted).toBe(0);
    expect(await listSubscriptions(t.ctx)).toEqual([]);
    await receiver.close();
  });

  it('refuses unknown event types and bad URLs, storing nothing', async () => {
    const refused = await createSubscription(
      t.ctx,
      { url: 'ftp://x', events: ['request.created', 'request.nope', 'request.created'] },
      'k',
    );
    expect(refused).toMatchObject({
      ok: false,
      invalidParams: [
        { name: 'url', reason: expect.any(String) },
        { name: 'events.1', reason: expect.stringContaining('Unknown event type') },
        { name: 'events', reason: 'Each event type once' },
      ],
    });
    expect(await t.world.count('webhook_subscriptions')).toBe(0);
  });
});

describe('webhook URLs', () => {
  it.each([
    ['https://partner.example.nl/hooks', 'production', true],
    ['http://partner.example.nl/hooks', 'production', false],
    ['https://127.0.0.1/hooks', 'production', false],
    ['https://10.1.2.3/hooks', 'production', false],
    ['https://192.168.1.10/', 'production', false],
    ['https://172.20.0.1/', 'production', false],
    ['https://169.254.169.254/latest/meta-data', 'production', false],
    ['https://[::1]/', 'production', false],
    ['https://[fe80::1]/', 'production', false],
    ['https://[fd00::1]/', 'production', false],
    ['https://[::ffff:10.0.0.1]/', 'production', false],
    ['https://100.64.0.1/', 'production', false],
    ['https://0.0.0.0/', 'production', false],
    ['https://localhost/', 'production', false],
    ['https://printer.local/', 'production', false],
    ['https://intranet/', 'production', false],
    ['https://user:pw@partner.example.nl/', 'production', false],
    ['https://93.184.215.14/hooks', 'production', true],
    ['http://127.0.0.1:9000/hooks', 'allow-loopback', true],
    ['http://localhost:9000/hooks', 'allow-loopback', true],
    ['http://10.0.0.1/hooks', 'allow-loopback', false],
  ] as const)('%s under %s: %s', (url, policy, ok) => {
    expect(checkWebhookUrl(url, policy).ok).toBe(ok);
  });

  it('retries at once, then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const delays = Array.from({ length: 11 }, (_, n) =>
      nextAttemptAt(now, n, { random: () => 0 })?.getTime(),
    );
    expect(delays.map((d) => (d === undefined ? undefined : (d - now.getTime()) / 1000))).toEqual([
      0,
      5,
      300,
      1800,
      7200,
      18000,
      36000,
      50400,
      72000,
      86400,
      undefined,
    ]);
    expect((nextAttemptAt(now, 1, { random: () => 1 }) as Date).getTime() - now.getTime()).toBe(5_500);
  });
});
