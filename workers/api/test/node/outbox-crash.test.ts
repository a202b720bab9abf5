import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureLocalFleet } from '@wijkteams/local/fleet';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, startServerProcess } from './fixture.ts';

const startServer = (dataDir: string) =>
  startServerProcess(dataDir, {
    WEBHOOKS_ALLOW_LOOPBACK: 'true',
    // A crashed sender's claim on a delivery runs out after this long (60 s in production).
    OUTBOX_LEASE_MS: '1500',
  });

/** A receiver that holds the first request unanswered (the server dies meanwhile) and takes the rest. */
async function holdingReceiver() {
  const received: IncomingHttpHeaders[] = [];
  const held: ServerResponse[] = [];
  const waiters: (() => void)[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(req.headers);
      if (received.length === 1) held.push(res);
      else res.writeHead(200).end();
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    async count(n: number, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`only ${received.length} of ${n} requests arrived`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 250);
        });
      }
    },
    close: () => {
      for (const res of held) res.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'wt-outbox-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const auth = { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' };

describe('a Node server killed between a change and its delivery', () => {
  it('delivers the event after the restart, once, with the same webhook-id', async () => {
    await ensureLocalFleet(dataDir);
    const receiver = await holdingReceiver();
    let server = await startServer(dataDir);
    try {
      const subscribed = await fetch(`${server.base}/v1/zeist/webhook-subscriptions`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ url: receiver.url, events: ['request.created'] }),
      });
      const { id } = (await subscribed.json()) as { id: string };
      const intake = await fetch(`${server.base}/v1/zeist/requests`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          postcode: '3701 AA',
          category: 'company',
          description: 'Af en toe een wandeling samen',
          contact: { name: 'B. Bakker', phone: '030 123 4567' },
          consent: true,
        }),
      });
      expect(intake.status).toBe(201);
      // The delivery is under way, unanswered: the machine dies now.
      await receiver.count(1);
      server.child.kill('SIGKILL');
      await new Promise((resolve) => server.child.once('exit', resolve));

      server = await startServer(dataDir);
      await receiver.count(2);
      const log = async () =>
        (
          (await (
            await fetch(`${server.base}/v1/zeist/webhook-subscriptions/${id}/deliveries`, { headers: auth })
          ).json()) as { deliveries: { id: string; status: string; attempts: number }[] }
        ).deliveries;
      const deadline = Date.now() + 10_000;
      while ((await log())[0]?.status !== 'delivered' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const deliveries = await log();
      expect(deliveries).toEqual([expect.objectContaining({ status: 'delivered', attempts: 2 })]);
      expect(receiver.received.map((h) => h['webhook-id'])).toEqual([deliveries[0]?.id, deliveries[0]?.id]);
      expect(receiver.received).toHaveLength(2);
    } finally {
      server.child.kill('SIGTERM');
      await receiver.close();
    }
  });
});
