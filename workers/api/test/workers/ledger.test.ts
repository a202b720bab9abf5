/// <reference types="@cloudflare/vitest-pool-workers/types" />
/**
 * Concurrent voucher writes in workerd. A Worker isolate serves many requests at once, and a
 * promise of one request cannot wait on work that another request started: every ledger write of
 * a tenant goes to that tenant's Durable Object (src/tenant-ledger.ts), which queues them and
 * writes redemptions that arrive together in one batch.
 */
import { env, SELF } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TenantLedger } from '../../src/tenant-ledger.ts';
import { ADMIN, freshKey, post } from './api.ts';

async function issue(count: number): Promise<string[]> {
  const codes: string[] = [];
  while (codes.length < count) {
    const res = await post('/v1/waalre/voucher-batches', {
      holder: `res-workerd-${crypto.randomUUID().slice(0, 8)}`,
      count: Math.min(100, count - codes.length),
    });
    expect(res.status).toBe(201);
    codes.push(...((await res.json()) as { vouchers: { code: string }[] }).vouchers.map((v) => v.code));
  }
  return codes;
}
let provider = '';
/** Redemptions pay a registered provider: one is registered first (its id is generated). */
async function registeredProvider(): Promise<string> {
  if (provider) return provider;
  const res = await post('/v1/waalre/providers', {
    name: 'Leerwerkbedrijf workerd',
    tier: 'company',
    categories: ['odd-jobs'],
    contact: { email: 'leerwerk@example.nl' },
  });
  expect(res.status).toBe(201);
  provider = ((await res.json()) as { id: string }).id;
  return provider;
}
const redeem = async (code: string) =>
  post(`/v1/waalre/vouchers/${code}/redemptions`, { provider: await registeredProvider() });

async function expectLedgerVerifies() {
  const res = await SELF.fetch('https://api.example/v1/waalre/ledger-verification', { headers: ADMIN });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ chain: { ok: true }, balances: { ok: true, totalCents: 0 } });
}

async function waalre(): Promise<{ id: string; databaseUrl: string }> {
  const res = await SELF.fetch('https://api.example/v1/tenants/waalre', { headers: ADMIN });
  const { id } = (await res.json()) as { id: string };
  return { id, databaseUrl: 'file:tenants/waalre.db' };
}

const statusCounts = (answers: Response[]) => {
  const counts: Record<number, number> = {};
  for (const res of answers) counts[res.status] = (counts[res.status] ?? 0) + 1;
  return counts;
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the voucher ledger under concurrent requests in workerd', () => {
  it('redeems vouchers asked at the same moment, each exactly once, and keeps answering afterwards', async () => {
    const codes = await issue(20);
    const [first = ''] = codes;
    // Twenty vouchers at once, and the first of them three more times.
    const answers = await Promise.all([...codes, first, first, first].map(redeem));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 409)).toHaveLength(3);
    for (const res of answers) expect(res.headers.get('Content-Type')).toMatch(/json/);

    // The tenant's ledger still takes writes: a new batch, a redemption, a refusal.
    const [next = ''] = await issue(1);
    expect((await redeem(next)).status).toBe(201);
    expect((await redeem(next)).status).toBe(409);
  });

  it('redeems one voucher asked 100 times at once exactly once: one 201, 99 409s, no 5xx', async () => {
    const [code = ''] = await issue(1);
    const answers = await Promise.all(Array.from({ length: 100 }, () => redeem(code)));
    expect(statusCounts(answers)).toEqual({ 201: 1, 409: 99 });
    const refusals = await Promise.all(answers.filter((r) => r.status === 409).map((r) => r.json()));
    expect(new Set(refusals.map((p) => (p as { type: string }).type))).toEqual(
      new Set(['urn:wijkteams:problem:voucher-already-redeemed']),
    );
    await expectLedgerVerifies();
  });

  it('redeems 200 vouchers asked at once, all of them, each through the tenant’s own object', async () => {
    const codes = await issue(200);
    const writes = vi.spyOn(TenantLedger.prototype, 'write');
    const answers = await Promise.all(codes.map(redeem));
    expect(statusCounts(answers)).toEqual({ 201: 200 });
    expect(writes).toHaveBeenCalledTimes(200);
    expect(new Set(writes.mock.calls.map(([, name]) => name))).toEqual(new Set(['redeem']));
    await expectLedgerVerifies();
    // The receipts name 200 different transfers; a replay of one names the same transfer again.
    const receipts = (await Promise.all(answers.map((r) => r.json()))) as { transferId: string }[];
    expect(new Set(receipts.map((r) => r.transferId)).size).toBe(200);
  });

  it('stays right with a second writer on the same database (a restarted or duplicated object)', async () => {
    const tenant = await waalre();
    const codes = await issue(40);
    // Another object, not the tenant's own: as if the owner restarted while its old self still wrote.
    const second = env.TENANT_LEDGER.get(env.TENANT_LEDGER.idFromName(`${tenant.id}:second-writer`));
    const [answers, direct] = await Promise.all([
      Promise.all(codes.map(redeem)),
      Promise.all(
        codes.map((code, i) =>
          second.write(tenant, 'redeem', {
            code,
            provider: 'prv-second',
            idempotencyKey: `${freshKey()}-${i}`,
          }),
        ),
      ),
    ]);
    expect(answers.filter((r) => r.status >= 500)).toEqual([]);
    const directOk = direct.filter((d) => d.ok && 'status' in d.result && d.result.status === 'ok').length;
    const httpOk = answers.filter((r) => r.status === 201).length;
    // Each voucher was redeemed once: by one writer or the other, never by both.
    expect(httpOk + directOk).toBe(40);
    expect(answers.filter((r) => r.status === 409)).toHaveLength(40 - httpOk);
    await expectLedgerVerifies();
  });

  it('sends a write again when its answer was lost after the database committed it, and answers with what landed', async () => {
    const tenant = await waalre();
    const [code = ''] = await issue(1);
    const lossy = { id: tenant.id, databaseUrl: 'http://lossy.test/tenants/waalre/' };
    const object = env.TENANT_LEDGER.get(env.TENANT_LEDGER.idFromName(`${tenant.id}:lossy`));
    await fetch('http://lossy.test/_lose?count=1');
    const outcome = await object.write(lossy, 'redeem', {
      code,
      provider: await registeredProvider(),
      idempotencyKey: freshKey(),
    });
    // The first answer was lost (the endpoint has none left to lose) after the write landed; sent
    // again under its key, the write finds itself stored and answers with that first answer.
    expect(await (await fetch('http://lossy.test/_lose')).json()).toEqual({ left: 0 });
    expect(outcome).toMatchObject({
      ok: true,
      result: { status: 'replay', first: { status: 'ok', body: { code } } },
    });
    const voucher = await SELF.fetch(`https://api.example/v1/waalre/vouchers/${code}`, { headers: ADMIN });
    expect(await voucher.json()).toMatchObject({ status: 'redeemed' });
    await expectLedgerVerifies();
  });

  it('brings a refused argument back from the object as a 400, not a 500', async () => {
    const res = await post('/v1/waalre/voucher-batches', {
      holder: 'res-workerd-past',
      count: 1,
      validUntil: '2001-01-01T00:00:00Z',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ invalidParams: [{ name: 'body.validUntil' }] });
  });
});
