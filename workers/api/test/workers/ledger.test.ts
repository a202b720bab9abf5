/// <reference types="@cloudflare/vitest-pool-workers/types" />
/**
 * Concurrent voucher writes in workerd. A Worker isolate serves many requests at once, and a
 * promise of one request cannot wait on work that another request started: whatever the ledger
 * coordinates must stay inside each request here.
 */
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

const ADMIN = { Authorization: 'Bearer workers-test-admin-key-0123456789' };
let counter = 0;
const post = (path: string, body: object) =>
  SELF.fetch(`https://api.example${path}`, {
    method: 'POST',
    headers: { ...ADMIN, 'Content-Type': 'application/json', 'Idempotency-Key': `workerd-${counter++}-key` },
    body: JSON.stringify(body),
  });

async function issue(count: number): Promise<string[]> {
  const res = await post('/v1/waalre/voucher-batches', { holder: `res-workerd-${counter}`, count });
  expect(res.status).toBe(201);
  return ((await res.json()) as { vouchers: { code: string }[] }).vouchers.map((v) => v.code);
}
const redeem = (code: string) => post(`/v1/waalre/vouchers/${code}/redemptions`, { provider: 'prv-workerd' });

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
});
