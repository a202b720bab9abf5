/// <reference types="@cloudflare/vitest-pool-workers/types" />
import {
  createExecutionContext,
  createScheduledController,
  env,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import worker from '../../src/worker.ts';

describe('the Cron Trigger in workerd', () => {
  it('runs retention, offer expiry and the voucher sweep for every active tenant, over Hrana', async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(String(line)));
    try {
      const ctx = createExecutionContext();
      await worker.scheduled(
        createScheduledController({ scheduledTime: Date.now(), cron: '17 3 * * *' }),
        env,
        ctx,
      );
      await waitOnExecutionContext(ctx);
    } finally {
      log.mockRestore();
    }
    const record = JSON.parse(lines.find((l) => l.includes('"maintenance"')) ?? '{}') as {
      tenants?: { tenant: string; error?: string }[];
    };
    const done = (record.tenants ?? []).filter((t) => !t.error).map((t) => t.tenant);
    expect(done).toEqual(
      expect.arrayContaining(['alkmaar', 'groningen', 'noordoostpolder', 'waalre', 'zeist']),
    );
  });
});
