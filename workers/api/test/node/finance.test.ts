import { XMLParser, XMLValidator } from 'fast-xml-parser';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, nodeAppFixture } from './fixture.ts';
import { bearer, expectProblem, json } from './helpers.ts';

/**
 * A finance officer's month in Waalre over HTTP: two providers redeem dienstencheques, one
 * redemption was a mistake and is reversed, the settlement says who is owed what, a payout batch
 * pays it once, and its SEPA file is what the bank takes.
 */

let fixture: Awaited<ReturnType<typeof nodeAppFixture>>;
beforeAll(async () => {
  fixture = await nodeAppFixture({ KEY_RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(() => fixture.cleanup());

const admin = bearer(ADMIN_KEY);
let counter = 0;
const idem = () => ({ 'Idempotency-Key': `finance-${Date.now()}-${counter++}` });
const send = (path: string, method: string, body: unknown, headers: Record<string, string> = {}) =>
  fixture.request(path, json(method, body, { ...admin, ...headers }));
const get = (path: string, headers: Record<string, string> = {}) =>
  fixture.request(path, { headers: { ...admin, ...headers } });

async function provider(name: string, iban?: string): Promise<string> {
  const res = await send('/v1/waalre/providers', 'POST', {
    name,
    tier: 'company',
    categories: ['odd-jobs'],
    contact: { email: 'werk@example.nl' },
    ...(iban ? { iban } : {}),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function issue(count: number) {
  const res = await send('/v1/waalre/voucher-batches', 'POST', { holder: 'res-fin', count }, idem());
  expect(res.status).toBe(201);
  return (await res.json()) as { batchId: string; accountId: string; vouchers: { code: string }[] };
}

async function redeem(code: string, providerId: string) {
  const res = await send(`/v1/waalre/vouchers/${code}/redemptions`, 'POST', { provider: providerId }, idem());
  expect(res.status).toBe(201);
  return (await res.json()) as { transferId: string };
}

const today = new Date().toISOString().slice(0, 10);

describe('finance over HTTP', () => {
  it('takes a provider’s IBAN as people type it, and refuses a wrong one with a 400 naming the field', async () => {
    const bad = await send('/v1/waalre/providers', 'POST', {
      name: 'Typfout BV',
      tier: 'company',
      categories: ['odd-jobs'],
      contact: { email: 'a@example.nl' },
      iban: 'NL91 ABNA 0417 1643 01',
    });
    const problem = await expectProblem(bad, 400, 'validation-failed');
    expect(problem.invalidParams).toEqual([{ name: 'body.iban', reason: expect.stringMatching(/mod-97/) }]);
    const id = await provider('Spaties BV', 'nl91 abna 0417 1643 00');
    expect(await (await get(`/v1/waalre/providers/${id}`)).json()).toMatchObject({
      iban: 'NL91ABNA0417164300',
    });
    const patch = await send(`/v1/waalre/settings`, 'PATCH', {
      payoutAccount: { name: 'Gemeente Waalre', iban: 'NL00ABNA0417164300' },
    });
    expect((await expectProblem(patch, 400, 'validation-failed')).invalidParams).toEqual([
      expect.objectContaining({ name: 'body.payoutAccount.iban' }),
    ]);
    // A German bank's BIC for a Dutch account would make a bank file the bank refuses: a 400 now.
    const foreignBic = await send('/v1/waalre/settings', 'PATCH', {
      payoutAccount: { name: 'Gemeente Waalre', iban: 'NL20INGB0001234567', bic: 'DEUTDEFF' },
    });
    expect((await expectProblem(foreignBic, 400, 'validation-failed')).invalidParams).toEqual([
      expect.objectContaining({ name: 'body.payoutAccount.bic' }),
    ]);
  });

  it('reverses a mistaken redemption: 201, replayed with the same key, 409 the second time, 404 for no redemption', async () => {
    const prv = await provider('Klusbedrijf Aalst');
    const batch = await issue(2);
    const code = batch.vouchers[0]?.code as string;
    const redemption = await redeem(code, prv);
    const key = idem();
    const path = `/v1/waalre/redemptions/${redemption.transferId}/reversals`;
    const first = await send(path, 'POST', { reason: 'Twee keer gescand' }, key);
    expect(first.status).toBe(201);
    const body = (await first.json()) as { transferId: string };
    expect(body).toMatchObject({
      redemptionTransferId: redemption.transferId,
      code,
      amountCents: 500,
      reason: 'Twee keer gescand',
      voucher: { code, status: 'issued' },
    });
    const replay = await send(path, 'POST', { reason: 'Twee keer gescand' }, key);
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await replay.json()).toEqual(body);
    await expectProblem(
      await send(path, 'POST', { reason: 'nog eens' }, idem()),
      409,
      'redemption-already-reversed',
    );
    await expectProblem(
      await send(
        '/v1/waalre/redemptions/tr_01jdq3e4g6j8l0n2q4s6u8w0y9/reversals',
        'POST',
        { reason: 'x' },
        idem(),
      ),
      404,
      'redemption-not-found',
    );
    const noReason = await send(path, 'POST', { reason: '' }, idem());
    expect((await expectProblem(noReason, 400, 'validation-failed')).invalidParams).toEqual([
      expect.objectContaining({ name: 'body.reason' }),
    ]);
    // The holder has the value back and the voucher is redeemable again.
    const account = await (await get(`/v1/waalre/accounts/${batch.accountId}`)).json();
    expect(account).toMatchObject({ balanceCents: 1000 });
    expect((await get(`/v1/waalre/vouchers/${code}`)).status).toBe(200);
    await redeem(code, prv);
    const audit = (await (await get('/v1/waalre/audit-events')).json()) as {
      auditEvents: { action: string; objectId: string }[];
    };
    expect(audit.auditEvents).toContainEqual(
      expect.objectContaining({ action: 'redemption.reversed', objectId: body.transferId }),
    );
    const verification = await (await get('/v1/waalre/ledger-verification')).json();
    expect(verification).toMatchObject({ chain: { ok: true }, balances: { ok: true } });
  });

  it('settles per provider, pays once per key, and writes a SEPA file whose control sum is the batch', async () => {
    await expectProblem(
      await send('/v1/waalre/payout-batches', 'POST', {}, idem()),
      409,
      'payout-account-missing',
    );
    const settings = await send('/v1/waalre/settings', 'PATCH', {
      payoutAccount: { name: 'Gemeente Waalre', iban: 'NL20 INGB 0001 2345 67', bic: 'ingbnl2a' },
    });
    expect(settings.status).toBe(200);
    const schakel = await provider('Leerwerkbedrijf De Schakel & Co', 'NL44RABO0123456789');
    const buurt = await provider('Buurthulp Waalre', 'NL02ABNA0123456789');
    const batch = await issue(5);
    const codes = batch.vouchers.map((v) => v.code);
    const r = [await redeem(codes[0] as string, schakel), await redeem(codes[1] as string, schakel)];
    await redeem(codes[2] as string, schakel);
    await redeem(codes[3] as string, buurt);
    expect(
      (await send(`/v1/waalre/redemptions/${r[1]?.transferId}/reversals`, 'POST', { reason: 'fout' }, idem()))
        .status,
    ).toBe(201);

    const settlement = (await (await get(`/v1/waalre/settlements?from=${today}&to=${today}`)).json()) as {
      providers: {
        providerId: string;
        name: string;
        vouchers: number;
        redeemedCents: number;
        owedCents: number;
      }[];
      total: { redeemedCents: number };
    };
    expect(settlement.providers).toContainEqual(
      expect.objectContaining({
        providerId: schakel,
        name: 'Leerwerkbedrijf De Schakel & Co',
        vouchers: 2,
        redeemedCents: 1000,
        owedCents: 1000,
      }),
    );
    expect(settlement.providers).toContainEqual(
      expect.objectContaining({ providerId: buurt, vouchers: 1, owedCents: 500 }),
    );

    // The same as CSV for the spreadsheet: a line per provider and the total, euros beside cents.
    const csv = await get(`/v1/waalre/settlements?from=${today}&to=${today}`, { Accept: 'text/csv' });
    expect(csv.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    const lines = Papa.parse<Record<string, string>>((await csv.text()).replace(/^\uFEFF/, ''), {
      header: true,
      delimiter: ';',
      skipEmptyLines: true,
    }).data;
    expect(lines.map((l) => [l.providerId, l.redeemedCents, l.owedCents])).toEqual([
      ...settlement.providers.map((p) => [p.providerId, String(p.redeemedCents), String(p.owedCents)]),
      ['', String(settlement.total.redeemedCents), expect.any(String)],
    ]);
    expect(lines.find((l) => l.providerId === schakel)).toMatchObject({
      name: 'Leerwerkbedrijf De Schakel & Co',
      redeemedEuros: '10,00',
    });
    expect(lines.at(-1)?.name).toBe('Totaal');

    const key = idem();
    const body = { providers: [schakel, buurt], executionDate: today };
    const created = await send('/v1/waalre/payout-batches', 'POST', body, key);
    expect(created.status).toBe(201);
    const payout = (await created.json()) as {
      batchId: string;
      totalCents: number;
      payouts: { providerId: string; iban: string; amountCents: number; transferId: string }[];
    };
    expect(payout.totalCents).toBe(1500);
    expect(payout.payouts.map((p) => [p.providerId, p.amountCents]).sort()).toEqual(
      [
        [buurt, 500],
        [schakel, 1000],
      ].sort(),
    );
    // The same batch again pays nothing more; a new one finds nothing owed.
    const again = await send('/v1/waalre/payout-batches', 'POST', body, key);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(((await again.json()) as { batchId: string }).batchId).toBe(payout.batchId);
    await expectProblem(await send('/v1/waalre/payout-batches', 'POST', body, idem()), 409, 'nothing-owed');
    const after = (await (
      await get(`/v1/waalre/settlements?from=${today}&to=${today}`)
    ).json()) as typeof settlement;
    expect(after.providers.find((p) => p.providerId === schakel)).toMatchObject({
      redeemedCents: 1000,
      owedCents: 0,
    });
    // A paid redemption cannot be reversed; the refusal names the batch that paid it.
    const late = await send(
      `/v1/waalre/redemptions/${r[0]?.transferId}/reversals`,
      'POST',
      { reason: 'te laat' },
      idem(),
    );
    expect(await expectProblem(late, 409, 'redemption-paid-out')).toMatchObject({
      payoutBatchId: payout.batchId,
    });

    const file = await get(`/v1/waalre/payout-batches/${payout.batchId}`, { Accept: 'application/xml' });
    expect(file.status).toBe(200);
    expect(file.headers.get('Content-Type')).toMatch(/^application\/xml/);
    const xml = await file.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ parseTagValue: false }).parse(xml).Document;
    expect(doc).toBeDefined();
    const initiation = doc.CstmrCdtTrfInitn;
    const info = initiation.PmtInf;
    const txs = [info.CdtTrfTxInf].flat() as {
      Amt: { InstdAmt: string };
      CdtrAcct: { Id: { IBAN: string } };
      Cdtr: { Nm: string };
    }[];
    const cents = txs.map((t) => Math.round(Number(t.Amt.InstdAmt) * 100));
    expect(initiation.GrpHdr.NbOfTxs).toBe(String(payout.payouts.length));
    expect(initiation.GrpHdr.CtrlSum).toBe('15.00');
    expect(info.CtrlSum).toBe('15.00');
    expect(cents.reduce((a, b) => a + b, 0)).toBe(payout.totalCents);
    expect(info.DbtrAcct.Id.IBAN).toBe('NL20INGB0001234567');
    expect(info.ReqdExctnDt.Dt).toBe(today);
    expect(txs.map((t) => t.CdtrAcct.Id.IBAN).sort()).toEqual(['NL02ABNA0123456789', 'NL44RABO0123456789']);
    // Names in SEPA's character set.
    expect(txs.map((t) => t.Cdtr.Nm)).toContain('Leerwerkbedrijf De Schakel en Co');
    expect((await get(`/v1/waalre/payout-batches/${payout.batchId}`, { Accept: 'text/html' })).status).toBe(
      406,
    );
    const list = (await (await get('/v1/waalre/payout-batches')).json()) as {
      batches: { batchId: string }[];
    };
    expect(list.batches.map((b) => b.batchId)).toContain(payout.batchId);
    await expectProblem(
      await get('/v1/waalre/payout-batches/pay_01jdq4a2c4e6g8j0l2n4q6s8uw'),
      404,
      'not-found',
    );
    // The report still adds up, with the reversal counted out of redeemed.
    const report = (await (
      await get(`/v1/waalre/voucher-reports?from=${today}&to=${today}`)
    ).json()) as Record<string, number>;
    expect(report.issuedCents).toBe(
      (report.redeemedCents ?? 0) +
        (report.expiredCents ?? 0) +
        (report.voidedCents ?? 0) +
        (report.outstandingCents ?? 0),
    );
  });

  it('replays “pay everyone” under its key although another provider has become payable since', async () => {
    const first = await provider('Eerste BV', 'NL69INGB0123456789');
    const { vouchers } = await issue(2);
    await redeem(vouchers[0]?.code as string, first);
    const key = idem();
    const batch = await send('/v1/waalre/payout-batches', 'POST', {}, key);
    expect(batch.status).toBe(201);
    const second = await provider('Tweede BV', 'NL91ABNA0417164300');
    await redeem(vouchers[1]?.code as string, second);
    const retry = await send('/v1/waalre/payout-batches', 'POST', {}, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(((await retry.json()) as { batchId: string }).batchId).toBe(
      ((await batch.json()) as { batchId: string }).batchId,
    );
  });

  it('refuses a payout execution date in the past and an unknown provider with a 400', async () => {
    const past = await send('/v1/waalre/payout-batches', 'POST', { executionDate: '2020-01-01' }, idem());
    expect((await expectProblem(past, 400, 'validation-failed')).invalidParams).toEqual([
      expect.objectContaining({ name: 'body.executionDate' }),
    ]);
    const unknown = await send('/v1/waalre/payout-batches', 'POST', { providers: ['prv-nobody'] }, idem());
    expect((await expectProblem(unknown, 400, 'validation-failed')).invalidParams).toEqual([
      expect.objectContaining({ name: 'body.providers.0' }),
    ]);
  });
});
