/// <reference types="@cloudflare/vitest-pool-workers/types" />
/**
 * The daily maintenance in workerd: the Cron Trigger sends one Queue message per active tenant, and
 * the consumer does each tenant's work, acknowledging each message on its own so that a tenant that
 * fails (here: one whose database never answers) is retried alone while the others are done.
 */
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  env,
  getQueueResult,
  SELF,
} from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAINTENANCE_QUEUE, type MaintenanceMessage } from '../../src/queues/maintenance.ts';
import worker from '../../src/worker.ts';

const ADMIN = { Authorization: 'Bearer workers-test-admin-key-0123456789' };
const LAUNCH = ['alkmaar', 'groningen', 'noordoostpolder', 'waalre', 'zeist'];

async function tenantId(slug: string): Promise<string> {
  const res = await SELF.fetch(`https://api.example/v1/tenants/${slug}`, { headers: ADMIN });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: string }).id;
}

/** Runs the Worker's queue handler on these messages, with console output captured. */
async function consume(bodies: unknown[]) {
  const lines: Record<string, unknown>[] = [];
  const capture = (line: unknown) => void lines.push(JSON.parse(String(line)) as Record<string, unknown>);
  const spies = [
    vi.spyOn(console, 'log').mockImplementation(capture),
    vi.spyOn(console, 'warn').mockImplementation(capture),
    vi.spyOn(console, 'error').mockImplementation(capture),
  ];
  const messages = bodies.map((body, i) => ({ id: `msg-${i}`, timestamp: new Date(), attempts: 1, body }));
  const batch = createMessageBatch(MAINTENANCE_QUEUE, messages);
  const ctx = createExecutionContext();
  try {
    await worker.queue(batch, env, ctx);
    // What the handler acknowledged and gave back (FetcherQueueResult: only in the experimental types).
    const result: QueueOutcome = await getQueueResult(batch, ctx);
    return { result, lines };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

interface QueueOutcome {
  explicitAcks: string[];
  retryMessages: { msgId: string; delaySeconds?: number }[];
  retryBatch: { retry: boolean };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the maintenance Cron Trigger in workerd', () => {
  it('sends one message per active tenant to the maintenance queue, and does no tenant work itself', async () => {
    const sent: MessageSendRequest<MaintenanceMessage>[] = [];
    vi.spyOn(env.MAINTENANCE_QUEUE, 'sendBatch').mockImplementation(async (messages) => {
      sent.push(...messages);
      return undefined as never;
    });
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const scheduledTime = Date.UTC(2026, 11, 1, 3, 17);
    await worker.scheduled(
      createScheduledController({ scheduledTime, cron: '17 3 * * *' }),
      env,
      createExecutionContext(),
    );

    const ids = await Promise.all([...LAUNCH, 'unreachable'].map(tenantId));
    expect(sent.map((m) => m.body.tenantId)).toEqual(expect.arrayContaining(ids));
    expect(new Set(sent.map((m) => m.body.tenantId)).size).toBe(sent.length);
    expect(sent.every((m) => m.body.scheduledTime === scheduledTime)).toBe(true);
  });
});

describe('the maintenance queue consumer in workerd', () => {
  it('does each tenant’s work and acknowledges it; a tenant whose database does not answer is retried alone', async () => {
    const now = Date.now();
    const bodies = await Promise.all(
      [...LAUNCH, 'unreachable'].map(async (slug) => ({
        tenantId: await tenantId(slug),
        scheduledTime: now,
      })),
    );
    const { result, lines } = await consume(bodies);

    expect(result.explicitAcks.sort()).toEqual(['msg-0', 'msg-1', 'msg-2', 'msg-3', 'msg-4']);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(['msg-5']);
    expect(result.retryBatch.retry).toBe(false);
    const done = lines.filter((l) => l.msg === 'maintenance' && !l.error).map((l) => l.tenant);
    expect(done.sort()).toEqual(LAUNCH);
    expect(lines.find((l) => l.tenant === 'unreachable')).toMatchObject({ level: 'warn', attempts: 1 });
  });

  it('expires a tenant’s vouchers as of the day the message was sent for, and the same message again changes nothing', async () => {
    const issued = await SELF.fetch('https://api.example/v1/noordoostpolder/voucher-batches', {
      method: 'POST',
      headers: { ...ADMIN, 'Content-Type': 'application/json', 'Idempotency-Key': 'queue-expiry-batch-1' },
      body: JSON.stringify({ holder: 'res-queue-expiry', count: 2 }),
    });
    expect(issued.status).toBe(201);
    const body = {
      tenantId: await tenantId('noordoostpolder'),
      scheduledTime: Date.now() + 400 * 86_400_000,
    };

    const first = await consume([body]);
    expect(first.result.explicitAcks).toEqual(['msg-0']);
    const expired = first.lines.find((l) => l.tenant === 'noordoostpolder')?.vouchersExpired;
    expect(expired).toBeGreaterThanOrEqual(2);
    const again = await consume([body]);
    expect(again.lines.find((l) => l.tenant === 'noordoostpolder')).toMatchObject({ vouchersExpired: 0 });
  });

  it('acknowledges messages that are not maintenance messages, or whose tenant is gone, doing nothing', async () => {
    const { result, lines } = await consume([
      { tenantId: 'not-a-tenant-id' },
      { tenantId: 'ten_00000000000000000000000000', scheduledTime: Date.now() },
    ]);
    expect(result.explicitAcks.sort()).toEqual(['msg-0', 'msg-1']);
    expect(result.retryMessages).toEqual([]);
    expect(lines).toEqual([
      expect.objectContaining({ level: 'error', messageId: 'msg-0', error: 'not a maintenance message' }),
      expect.objectContaining({ level: 'info', tenantId: 'ten_00000000000000000000000000', skipped: 'gone' }),
    ]);
  });
});
