/// <reference types="@cloudflare/vitest-pool-workers/types" />
/**
 * Finance in workerd: reversals and payout batches are ledger writes, so on Workers they go through
 * the tenant's Durable Object like redemptions; the SEPA file is written in the Worker itself.
 */
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

const ADMIN = { Authorization: 'Bearer workers-test-admin-key-0123456789' };
let counter = 0;
const call = (method: string, path: string, body?: object, key = `finance-workerd-${counter++}`) =>
  SELF.fetch(`https://api.example${path}`, {
    method,
    headers: { ...ADMIN, 'Content-Type': 'application/json', 'Idempotency-Key': key },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

describe('finance in workerd', () => {
  it('reverses one redemption once under a race, pays out once per key, and writes the bank file', async () => {
    expect(
      (
        await call('PATCH', '/v1/waalre/settings', {
          payoutAccount: { name: 'Gemeente Waalre', iban: 'NL20INGB0001234567' },
        })
      ).status,
    ).toBe(200);
    const registered = await call('POST', '/v1/waalre/providers', {
      name: 'Leerwerkbedrijf Waalre',
      tier: 'company',
      categories: ['odd-jobs'],
      contact: { email: 'leerwerk@example.nl' },
      iban: 'NL44RABO0123456789',
    });
    expect(registered.status).toBe(201);
    const provider = ((await registered.json()) as { id: string }).id;
    const issued = await call('POST', '/v1/waalre/voucher-batches', {
      holder: 'res-finance-workerd',
      count: 4,
    });
    const { vouchers } = (await issued.json()) as { vouchers: { code: string }[] };
    const redemptions = await Promise.all(
      vouchers.map((v) => call('POST', `/v1/waalre/vouchers/${v.code}/redemptions`, { provider })),
    );
    expect(redemptions.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const [mistake] = (await Promise.all(redemptions.map((r) => r.json()))) as { transferId: string }[];

    // Five reversals of one redemption at once, each under its own key: exactly one undoes it.
    const reversals = await Promise.all(
      Array.from({ length: 5 }, () =>
        call('POST', `/v1/waalre/redemptions/${mistake?.transferId}/reversals`, {
          reason: 'Verkeerd gescand',
        }),
      ),
    );
    expect(reversals.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);

    // The same payout asked three times at once with one key: one batch, paid once.
    const key = `payout-workerd-${counter++}`;
    const payouts = await Promise.all(
      [1, 2, 3].map(() => call('POST', '/v1/waalre/payout-batches', { providers: [provider] }, key)),
    );
    expect(payouts.map((r) => r.status)).toEqual([201, 201, 201]);
    const batches = (await Promise.all(payouts.map((r) => r.json()))) as {
      batchId: string;
      totalCents: number;
    }[];
    expect(new Set(batches.map((b) => b.batchId)).size).toBe(1);
    expect(batches[0]?.totalCents).toBe(1500);

    const file = await SELF.fetch(`https://api.example/v1/waalre/payout-batches/${batches[0]?.batchId}`, {
      headers: { ...ADMIN, Accept: 'application/xml' },
    });
    expect(file.status).toBe(200);
    const xml = await file.text();
    expect(xml).toContain('urn:iso:std:iso:20022:tech:xsd:pain.001.001.09');
    expect(xml).toMatch(/<GrpHdr>.*<NbOfTxs>1<\/NbOfTxs><CtrlSum>15\.00<\/CtrlSum>/);
    expect(xml).toContain('<IBAN>NL44RABO0123456789</IBAN>');

    const verification = await SELF.fetch('https://api.example/v1/waalre/ledger-verification', {
      headers: ADMIN,
    });
    expect(await verification.json()).toMatchObject({
      chain: { ok: true },
      balances: { ok: true, totalCents: 0 },
    });
  });
});
