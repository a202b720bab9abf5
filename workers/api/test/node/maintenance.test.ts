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

  it('moves an unanswered offer down the ladder after the tenant’s own offer timeout', async () => {
    const admin = bearer(ADMIN_KEY);
    const at = (path: string, method: string, body: unknown) =>
      fixture.request(`/v1/alkmaar${path}`, json(method, body, admin));
    expect((await at('/settings', 'PATCH', { offerTimeoutHours: 24 })).status).toBe(200);
    const provider = (await (
      await at('/providers', 'POST', {
        name: 'Voor Mekaar',
        tier: 'volunteers',
        categories: ['odd-jobs'],
        contact: { email: 'klussen@voormekaar.example.nl' },
      })
    ).json()) as { id: string };
    const { reference } = (await (
      await at('/requests', 'POST', {
        postcode: '1811 AA',
        category: 'odd-jobs',
        description: 'Een kast ophangen.',
        contact: { name: 'Test', email: 'test@example.org' },
        consent: true,
      })
    ).json()) as { reference: string };
    expect((await at(`/requests/${reference}/transitions`, 'POST', { to: 'triaged' })).status).toBe(200);
    const offered = await at(`/requests/${reference}/transitions`, 'POST', {
      to: 'offered',
      providerId: provider.id,
    });
    expect(offered.status).toBe(200);
    const alkmaar = async (hours: number) =>
      (await runMaintenance(fixture.runtime, new Date(Date.now() + hours * 3_600_000))).find(
        (r) => r.tenant === 'alkmaar',
      )?.offersExpired;
    expect(await alkmaar(23)).toBe(0); // the default of 48 hours would wait longer still
    expect(await alkmaar(25)).toBe(1);
  });
});
