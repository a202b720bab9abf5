/// <reference types="@cloudflare/vitest-pool-workers/types" />
/**
 * Finance in workerd: reversals and payout batches are ledger writes, so on Workers they go through
 * the tenant's Durable Object like redemptions; the SEPA file is written in the Worker itself.
 */
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ADMIN, freshKey, send } from './api.ts';

describe('finance in workerd', () => {
  it('reverses one redemption once under a race, pays out once per key, and writes the bank file', async () => {
    expect(
      (
        await send('PATCH', '/v1/waalre/settings', {
          payoutAccount: { name: 'Gemeente Waalre', iban: 'NL20INGB0001234567' },
        })
      ).status,
    ).toBe(200);
    const registered = await send('POST', '/v1/waalre/providers', {
      name: 'Leerwerkbedrijf Waalre',
      tier: 'company',
      categories: ['odd-jobs'],
      contact: { email: 'leerwerk@example.nl' },
      iban: 'NL44RABO0123456789',
    });
    expect(registered.status).toBe(201);
    const provider = ((await registered.json()) as { id: string }).id;
    const issued = await send('POST', '/v1/waalre/voucher-batches', {
      holder: 'res-finance-workerd',
      count: 4,
    });
    const { vouchers } = (await issued.json()) as { vouchers: { code: string }[] };
    const redemptions = await Promise.all(
      vouchers.map((v) => send('POST', `/v1/waalre/vouchers/${v.code}/redemptions`, { provider })),
    );
    expect(redemptions.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const [mistake] = (await Promise.all(redemptions.map((r) => r.json()))) as { transferId: string }[];

    // Five reversals of one redemption at once, each under its own key: exactly one undoes it.
    const reversals = await Promise.all(
      Array.from({ length: 5 }, () =>
        send('POST', `/v1/waalre/redemptions/${mistake?.transferId}/reversals`, {
          reason: 'Verkeerd gescand',
        }),
      ),
    );
    expect(reversals.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);

    // The same payout asked three times at once with one key: one batch, paid once.
    const key = freshKey();
    const payouts = await Promise.all(
      [1, 2, 3].map(() =>
        send('POST', '/v1/waalre/payout-batches', { providers: [provider] }, { 'Idempotency-Key': key }),
      ),
    );
    expect(payouts.map((r) => r.status)).toEqual([201, 201, 201]);
    const batches = (await Promise.all(payouts.map((r) => r.json()))) as {
      batchId: string;
      totalCents: number;
    }[];
    expect(new Set(batches.map((b) => b.batchId)).size).toBe(1);
    expect(batches[0]?.totalCents).toBe(1500);

    // The month's settlement in the Worker: three redemptions paid (one was reversed), as JSON and CSV.
    const today = new Date().toISOString().slice(0, 10);
    const settlement = await send('GET', `/v1/waalre/settlements?from=${today}&to=${today}`);
    const mine = ((await settlement.json()) as { providers: { providerId: string }[] }).providers.find(
      (p) => p.providerId === provider,
    );
    expect(mine).toMatchObject({ vouchers: 3, redeemedCents: 1500, paidOutCents: 1500, owedCents: 0 });
    const csv = await send('GET', `/v1/waalre/settlements?from=${today}&to=${today}`, undefined, {
      Accept: 'text/csv',
    });
    expect(csv.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(await csv.text()).toContain(
      `${provider};Leerwerkbedrijf Waalre;3;15,00;1500;15,00;1500;0,00;0;1;5,00;500`,
    );

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
