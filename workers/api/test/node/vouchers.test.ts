import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, nodeAppFixture } from './fixture.ts';
import { bearer, expectProblem, json, seedProviders } from './helpers.ts';

let fixture: Awaited<ReturnType<typeof nodeAppFixture>>;
beforeAll(async () => {
  fixture = await nodeAppFixture({ KEY_RATE_LIMIT_PER_MINUTE: '100000' });
  await seedProviders(fixture.dataDir, 'waalre', [
    'prv-a',
    'prv-ander',
    'prv-b',
    'prv-klusbedrijf',
    'prv-museum',
    'prv-x',
    'prv-zwembad',
    ...Array.from({ length: 7 }, (_, i) => `prv-${i}`),
  ]);
  await seedProviders(fixture.dataDir, 'alkmaar', ['prv-zwembad', 'prv-museum']);
});
afterAll(() => fixture.cleanup());

const admin = bearer(ADMIN_KEY);
let keyCounter = 0;
const key = () => ({ 'Idempotency-Key': `test-key-${Date.now()}-${keyCounter++}` });
const issue = async (holder: string, count: number) => {
  const res = await fixture.request(
    '/v1/waalre/voucher-batches',
    json('POST', { holder, count }, { ...admin, ...key() }),
  );
  expect(res.status).toBe(201);
  return (await res.json()) as {
    accountId: string;
    vouchers: { code: string; faceValueCents: number; status: string }[];
  };
};
const redeem = (code: string, body: object, headers: Record<string, string>) =>
  fixture.request(`/v1/waalre/vouchers/${code}/redemptions`, json('POST', body, { ...admin, ...headers }));

describe('dienstencheques over HTTP', () => {
  it('issues a batch to a resident account: 5 euro each, 12 months valid', async () => {
    const batch = await issue('res-0001', 3);
    expect(batch.vouchers).toHaveLength(3);
    expect(batch.vouchers.every((v) => v.faceValueCents === 500 && v.status === 'issued')).toBe(true);
    const account = await fixture.request(`/v1/waalre/accounts/${batch.accountId}`, { headers: admin });
    expect(await account.json()).toMatchObject({ accountId: batch.accountId, balanceCents: 1500 });
  });

  it('answers a validity in the past with a 400 naming the field', async () => {
    const res = await fixture.request(
      '/v1/waalre/voucher-batches',
      json(
        'POST',
        { holder: 'res-past', count: 1, validUntil: '2020-01-01T00:00:00Z' },
        { ...admin, ...key() },
      ),
    );
    const body = await expectProblem(res, 400, 'validation-failed');
    expect(body.invalidParams).toEqual([expect.objectContaining({ name: 'body.validUntil' })]);
  });

  it('needs an Idempotency-Key on every request that moves value', async () => {
    const res = await fixture.request(
      '/v1/waalre/voucher-batches',
      json('POST', { holder: 'res-x', count: 1 }, admin),
    );
    const body = await expectProblem(res, 400, 'validation-failed');
    expect(body.invalidParams).toEqual([expect.objectContaining({ name: 'header.idempotency-key' })]);
  });

  it('redeems once; replays the first answer; refuses another body with the same key; says why a voucher is refused', async () => {
    const { vouchers } = await issue('res-0002', 1);
    const code = vouchers[0]?.code ?? '';
    const k = key();
    const first = await redeem(code, { provider: 'prv-klusbedrijf' }, k);
    expect(first.status).toBe(201);
    const firstBody = await first.json();
    const replay = await redeem(code, { provider: 'prv-klusbedrijf' }, k);
    expect(replay.status).toBe(201);
    expect(await replay.json()).toEqual(firstBody);
    await expectProblem(await redeem(code, { provider: 'prv-ander' }, k), 409, 'idempotency-conflict');
    await expectProblem(
      await redeem(code, { provider: 'prv-klusbedrijf' }, key()),
      409,
      'voucher-already-redeemed',
    );
    const typo = `${code.slice(0, -1)}${code.endsWith('A') ? 'B' : 'A'}`;
    await expectProblem(await redeem(typo, { provider: 'prv-klusbedrijf' }, key()), 400, 'validation-failed');
  });

  it('keeps Idempotency-Keys apart per API key: one partner never gets another’s answer', async () => {
    const partnerKey = async (name: string) => {
      const res = await fixture.request(
        '/v1/waalre/api-keys',
        json('POST', { name, scopes: ['vouchers:redeem'] }, admin),
      );
      expect(res.status).toBe(201);
      return bearer(((await res.json()) as { key: string }).key);
    };
    const [a, b] = [await partnerKey('Klusbedrijf A'), await partnerKey('Tuinman B')];
    const { vouchers } = await issue('res-0005', 2);
    const [first = '', second = ''] = vouchers.map((v) => v.code);
    const shared = { 'Idempotency-Key': 'redemption-0001' };
    const body = { provider: 'prv-a' };
    const byA = await redeem(first, body, { ...shared, ...a });
    expect(byA.status).toBe(201);
    // B's use of the same key for its own redemption is no conflict with A's.
    expect((await redeem(second, { provider: 'prv-b' }, { ...shared, ...b })).status).toBe(201);
    // B sending A's very request with that key is B's own (other) request again, not A's receipt.
    await expectProblem(await redeem(first, body, { ...shared, ...b }), 409, 'idempotency-conflict');
    // And with a key of its own, the voucher is spent.
    await expectProblem(
      await redeem(first, body, { 'Idempotency-Key': 'redemption-0002', ...b }),
      409,
      'voucher-already-redeemed',
    );
    // A's replay still gives A's first answer.
    const replay = await redeem(first, body, { ...shared, ...a });
    expect(replay.status).toBe(201);
    expect(await replay.json()).toEqual(await byA.json());
  });

  it('voids a lost voucher with a replacement, and reports add up', async () => {
    const { vouchers } = await issue('res-0003', 2);
    const voided = await fixture.request(
      `/v1/waalre/vouchers/${vouchers[0]?.code}/voidings`,
      json('POST', { reason: 'lost' }, { ...admin, ...key() }),
    );
    expect(voided.status).toBe(201);
    const { replacement } = (await voided.json()) as { replacement: { code: string; status: string } };
    expect(replacement.status).toBe('issued');
    await expectProblem(
      await redeem(vouchers[0]?.code ?? '', { provider: 'prv-x' }, key()),
      409,
      'voucher-voided',
    );
    expect((await redeem(replacement.code, { provider: 'prv-x' }, key())).status).toBe(201);

    const today = new Date().toISOString().slice(0, 10);
    const report = (await (
      await fixture.request(`/v1/waalre/voucher-reports?from=2020-01-01&to=${today}`, { headers: admin })
    ).json()) as Record<string, number>;
    const {
      issuedCents = 0,
      redeemedCents = 0,
      expiredCents = 0,
      voidedCents = 0,
      outstandingCents = 0,
    } = report;
    expect(issuedCents).toBeGreaterThan(0);
    expect(issuedCents).toBe(redeemedCents + expiredCents + voidedCents + outstandingCents);
    const impossible = await expectProblem(
      await fixture.request('/v1/waalre/voucher-reports?from=2026-02-30&to=2026-12-31', { headers: admin }),
      400,
      'validation-failed',
    );
    expect(impossible.invalidParams).toEqual([expect.objectContaining({ name: 'query.from' })]);
    const verification = (await (
      await fixture.request('/v1/waalre/ledger-verification', { headers: admin })
    ).json()) as {
      chain: { ok: boolean };
      balances: { ok: boolean; totalCents: number };
    };
    expect(verification.chain.ok).toBe(true);
    expect(verification.balances).toMatchObject({ ok: true, totalCents: 0 });
  });

  it('lets exactly one of 100 concurrent redemptions of one voucher succeed, over real HTTP', async () => {
    const server = serve({ fetch: fixture.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const { vouchers } = await issue('res-0004', 1);
      const code = vouchers[0]?.code ?? '';
      const statuses = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          fetch(`http://127.0.0.1:${port}/v1/waalre/vouchers/${code}/redemptions`, {
            method: 'POST',
            body: JSON.stringify({ provider: `prv-${i % 7}` }),
            headers: { ...admin, 'Content-Type': 'application/json', 'Idempotency-Key': `race-${code}-${i}` },
          }).then((r) => r.status),
        ),
      );
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(99);
      const verification = (await (
        await fixture.request('/v1/waalre/ledger-verification', { headers: admin })
      ).json()) as {
        chain: { ok: boolean };
        balances: { ok: boolean };
      };
      expect(verification).toMatchObject({ chain: { ok: true }, balances: { ok: true } });
    } finally {
      server.close();
    }
  });
});

describe('budgets (AlkmaarPas style) over HTTP', () => {
  it('grants a yearly amount and lets providers spend it in parts, never below zero', async () => {
    const post = (path: string, body: object, k: string) =>
      fixture.request(`/v1/alkmaar/${path}`, json('POST', body, { ...admin, 'Idempotency-Key': k }));
    expect(
      (
        await post(
          'budget-grants',
          { holder: 'pas-0001', year: 2026, amountCents: 10_000 },
          'grant-pas-0001-2026',
        )
      ).status,
    ).toBe(201);
    const first = await post(
      'budget-spends',
      { holder: 'pas-0001', provider: 'prv-zwembad', amountCents: 6_000, year: 2026 },
      'spend-1-xxxx',
    );
    expect(await first.json()).toMatchObject({ balanceAfterCents: 4_000 });
    const body = await expectProblem(
      await post(
        'budget-spends',
        { holder: 'pas-0001', provider: 'prv-museum', amountCents: 5_000, year: 2026 },
        'spend-2-xxxx',
      ),
      409,
      'insufficient-funds',
    );
    expect(body.availableCents).toBe(4_000);
    expect(
      (
        await post(
          'budget-spends',
          { holder: 'pas-0001', provider: 'prv-museum', amountCents: 4_000, year: 2026 },
          'spend-3-xxxx',
        )
      ).status,
    ).toBe(201);
  });
});
