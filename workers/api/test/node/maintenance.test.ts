import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMaintenance } from '../../src/maintenance.ts';
import { ADMIN_KEY, nodeAppFixture } from './fixture.ts';
import { bearer, json } from './helpers.ts';

let fixture: Awaited<ReturnType<typeof nodeAppFixture>>;
beforeAll(async () => {
  fixture = await nodeAppFixture();
});
afterAll(() => fixture.cleanup());

describe('scheduled maintenance (Cron Trigger; npm run maintenance on Node)', () => {
  it('expires vouchers past their validity exactly once, and a second run changes nothing', async () => {
    const issued = await fixture.request(
      '/v1/waalre/voucher-batches',
      json(
        'POST',
        { holder: 'res-expiry', count: 2 },
        { ...bearer(ADMIN_KEY), 'Idempotency-Key': 'maintenance-test-1' },
      ),
    );
    expect(issued.status).toBe(201);
    const later = new Date(Date.now() + 400 * 86_400_000);
    const first = await runMaintenance(fixture.runtime, later);
    expect(first.map((r) => r.tenant).sort()).toEqual([
      'alkmaar',
      'groningen',
      'noordoostpolder',
      'waalre',
      'zeist',
    ]);
    expect(first.every((r) => r.error === undefined)).toBe(true);
    expect(first.find((r) => r.tenant === 'waalre')?.vouchersExpired).toBe(2);
    const second = await runMaintenance(fixture.runtime, later);
    expect(second.every((r) => r.vouchersExpired === 0 && r.anonymised === 0 && r.deleted === 0)).toBe(true);
  });
});
