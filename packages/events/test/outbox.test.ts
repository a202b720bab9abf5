import type { Client, InStatement } from '@libsql/client';
import { offerRequest, respondToOffer, transition } from '@wijkteams/intake';
import { describe, expect, it } from 'vitest';
import { registerLadderProviders, STAFF } from '../../intake/test/helpers.ts';
import { eventsWorldPerTest, rows } from './helpers.ts';

/** A client whose write batches end in a statement that fails, so the whole batch rolls back. */
function failingWrites(db: Client): Client {
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property === 'batch') {
        return (statements: InStatement[], mode: 'write' | 'read') =>
          mode === 'write'
            ? target.batch([...statements, 'INSERT INTO no_such_table VALUES (1)'], mode)
            : target.batch(statements, mode);
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('the outbox', () => {
  const t = eventsWorldPerTest();

  it('writes request.created in the same batch as the request, with the status token kept for the message', async () => {
    const submitted = await t.world.submit();
    const events = await rows(
      t.world,
      'SELECT type, reference, data, secret_ct, dispatched_at FROM outbox_events',
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'request.created',
      reference: submitted.reference,
      dispatched_at: null,
    });
    expect(events[0]?.secret_ct).toMatch(/^v1\./);
    const data = JSON.parse(String(events[0]?.data));
    expect(data).toMatchObject({ reference: submitted.reference, status: 'received', category: 'odd-jobs' });
    // Thin: no personal data in the payload.
    expect(String(events[0]?.data)).not.toMatch(/Jantje|dakgoot|example\.nl|0612/);
  });

  it('writes no event when the batch of the change fails, and no change without its event', async () => {
    const db = t.world.ctx.db;
    t.world.ctx.db = failingWrites(db);
    await expect(t.world.submit()).rejects.toThrow(/no_such_table/);
    t.world.ctx.db = db;
    expect(await t.world.count('requests')).toBe(0);
    expect(await t.world.count('outbox_events')).toBe(0);

    // Every step of a request that happened has exactly one status event.
    const providers = await registerLadderProviders(t.world.ctx);
    const { reference } = await t.world.submit();
    await transition(t.world.ctx, reference, 'triaged', STAFF);
    await offerRequest(t.world.ctx, reference, providers.volunteers, STAFF);
    t.world.ctx.db = failingWrites(db);
    await expect(respondToOffer(t.world.ctx, reference, providers.volunteers, 'accept')).rejects.toThrow();
    t.world.ctx.db = db;
    await respondToOffer(t.world.ctx, reference, providers.volunteers, 'decline');
    const steps = await t.world.count('request_events');
    const statusEvents = await rows(
      t.world,
      `SELECT type FROM outbox_events WHERE type IN ('request.created', 'request.status_changed') ORDER BY seq`,
    );
    expect(statusEvents).toHaveLength(steps);
    const types = (await rows(t.world, 'SELECT type, data FROM outbox_events ORDER BY seq')).map((r) => ({
      type: r.type,
      answer: JSON.parse(String(r.data)).answer,
    }));
    expect(types).toEqual([
      { type: 'request.created', answer: undefined },
      { type: 'request.status_changed', answer: undefined },
      { type: 'request.status_changed', answer: undefined },
      { type: 'offer.created', answer: undefined },
      { type: 'request.status_changed', answer: undefined },
      { type: 'offer.answered', answer: 'declined' },
      // Offered at once to the next tier's provider.
      { type: 'request.status_changed', answer: undefined },
      { type: 'offer.created', answer: undefined },
    ]);
  });

  it('deletes a request’s events, deliveries and messages with its retention', async () => {
    const { applyRetention } = await import('@wijkteams/intake');
    const { deliverOutbox } = await import('../src/index.ts');
    const { reference } = await t.world.submit();
    await transition(t.world.ctx, reference, 'cancelled', STAFF);
    await deliverOutbox(t.ctx);
    expect(await t.world.count('messages')).toBe(1);
    t.world.ctx.setNow(new Date(t.world.ctx.clock().getTime() + 43 * 86_400_000));
    expect(
      (await applyRetention(t.world.ctx, { now: t.world.ctx.clock(), anonymiseClosedAfterDays: 90 })).deleted,
    ).toBe(1);
    expect(await t.world.count('outbox_events')).toBe(0);
    expect(await t.world.count('messages')).toBe(0);
  });
});

describe('the outbox’s own retention', () => {
  const t = eventsWorldPerTest();

  it('prunes the delivery log and sent messages after 30 days, never pending work', async () => {
    const { createSubscription, deliverOutbox, pruneOutbox } = await import('../src/index.ts');
    const { startReceiver } = await import('./helpers.ts');
    const ok = await startReceiver([204]);
    await createSubscription(t.ctx, { url: ok.url, events: ['request.created'] }, 'k');
    await t.world.submit();
    await deliverOutbox(t.ctx);
    const down = await startReceiver(Array(20).fill(500));
    await createSubscription(t.ctx, { url: down.url, events: ['request.status_changed'] }, 'k');
    const { reference } = await t.world.submit();
    await transition(t.world.ctx, reference, 'triaged', STAFF);
    await deliverOutbox(t.ctx);
    expect(await pruneOutbox(t.world.ctx.db, t.world.ctx.clock())).toEqual({
      events: 0,
      deliveries: 0,
      messages: 0,
    });
    const later = new Date(t.world.ctx.clock().getTime() + 31 * 86_400_000);
    const pruned = await pruneOutbox(t.world.ctx.db, later);
    // Both request.created events, their deliveries and confirmations; the failing delivery of the
    // status change is still pending, and so is its event.
    expect(pruned).toEqual({ events: 2, deliveries: 2, messages: 2 });
    expect(await rows(t.world, `SELECT status FROM webhook_deliveries`)).toEqual([
      expect.objectContaining({ status: 'pending' }),
    ]);
    await ok.close();
    await down.close();
  });
});
