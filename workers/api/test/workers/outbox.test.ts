/// <reference types="@cloudflare/vitest-pool-workers/types" />
/**
 * The outbox in workerd: a change sends a kick to the Cloudflare Queue, Miniflare delivers it to
 * the Worker's own consumer, which signs and posts the webhook and sends the message through the
 * Notify API (a local catcher), all from the tenant's own database over Hrana.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from 'cloudflare:test';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it, vi } from 'vitest';
import worker from '../../src/worker.ts';

const ADMIN = {
  Authorization: 'Bearer workers-test-admin-key-0123456789',
  'Content-Type': 'application/json',
};

interface Hook {
  path: string;
  headers: Record<string, string>;
  body: string;
}
const received = async (): Promise<Hook[]> => (await fetch('https://hooks.example.nl/_received')).json();
const messages = async (): Promise<{ reference: string | null; channel: string; body: string }[]> =>
  ((await (await fetch('http://notify.test/_catcher/messages')).json()) as { messages: [] }).messages;

describe('the outbox in workerd', () => {
  it('delivers a change through the Queue: a signed webhook and a message, after the 201', async () => {
    const subscribed = await SELF.fetch('https://api.example/v1/noordoostpolder/webhook-subscriptions', {
      method: 'POST',
      headers: ADMIN,
      body: JSON.stringify({ url: 'https://hooks.example.nl/ok', events: ['request.created'] }),
    });
    expect(subscribed.status).toBe(201);
    const { secret } = (await subscribed.json()) as { secret: string };
    const intake = await SELF.fetch('https://api.example/v1/noordoostpolder/requests', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        postcode: '8302 AB',
        category: 'errands',
        description: 'Elke week naar de supermarkt; ik loop slecht sinds mijn val',
        contact: { name: 'A. Visser', phone: '06-12345678' },
        consent: true,
      }),
    });
    expect(intake.status).toBe(201);
    const { reference } = (await intake.json()) as { reference: string };

    // Miniflare runs the Queue for real: wait (bounded) for the consumer to have sent both.
    const hook = await vi.waitFor(
      async () => {
        const found = (await received()).find((h) => h.body.includes(reference));
        if (!found) throw new Error('not delivered yet');
        return found;
      },
      { timeout: 10_000, interval: 50 },
    );
    const event = new Webhook(secret).verify(hook.body, hook.headers) as {
      type: string;
      data: Record<string, unknown>;
    };
    expect(event).toMatchObject({ type: 'request.created', data: { tenant: 'noordoostpolder', reference } });
    const sms = await vi.waitFor(
      async () => {
        const found = (await messages()).find((m) => m.reference === reference);
        if (!found) throw new Error('not sent yet');
        return found;
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(sms.channel).toBe('sms');
    expect(sms.body).toMatch(
      new RegExp(`https://wijkteams\\.example\\.nl/status/noordoostpolder/${reference}#\\S{43}`),
    );
    expect(sms.body).not.toContain('supermarkt');
  });

  it('acks a batch of kicks with one run per tenant, and retries a tenant whose run fails', async () => {
    const batch = createMessageBatch('wijkteams-outbox', [
      { id: 'k1', timestamp: new Date(), attempts: 1, body: { tenant: 'zeist' } },
      { id: 'k2', timestamp: new Date(), attempts: 1, body: { tenant: 'zeist' } },
      { id: 'k3', timestamp: new Date(), attempts: 1, body: { tenant: 'unreachable' } },
      { id: 'k4', timestamp: new Date(), attempts: 1, body: { tenant: 'no-such-town' } },
    ]);
    const ctx = createExecutionContext();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await worker.queue(batch, env, ctx);
    } finally {
      log.mockRestore();
    }
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(['k1', 'k2', 'k4']);
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(['k3']);
  });
});
