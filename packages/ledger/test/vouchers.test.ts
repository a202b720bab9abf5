import { afterAll, describe, expect, it } from 'vitest';
import {
  accountBalance,
  auditBalances,
  expireVouchers,
  findAccountId,
  issueVoucherBatch,
  LedgerInputError,
  redeemVoucher,
  SYSTEM_REFERENCE,
  VOUCHER_LEDGER,
  verifyChain,
  voidVoucher,
  voucher,
} from '../src/index.ts';
import { DAY, expectStatus, newLedger, scratchFolder } from './ledger-db.ts';

const folder = scratchFolder('vouchers');
afterAll(folder.remove);

async function setup(start?: string) {
  const ledger = await newLedger(folder.dir, start);
  const issue = async (count = 2, key = 'issue-1', holder = 'res-001') =>
    expectStatus(await issueVoucherBatch(ledger.ctx, { holder, count, idempotencyKey: key }), 'ok').body;
  return { ...ledger, issue };
}

async function expectHealthy(ctx: Parameters<typeof verifyChain>[0]) {
  expect(await auditBalances(ctx)).toMatchObject({ ok: true, totalCents: 0 });
  expect(await verifyChain(ctx)).toMatchObject({ ok: true });
}

describe('issueVoucherBatch', () => {
  it('credits the holder with one 5-euro voucher per hour, valid for 12 months', async () => {
    const { ctx, issue } = await setup('2026-03-02T09:00:00.000Z');
    const batch = await issue(3);
    expect(batch.accountId).toMatch(/^acc_/);
    expect(batch.vouchers).toHaveLength(3);
    for (const v of batch.vouchers) {
      expect(v).toMatchObject({
        faceValueCents: 500,
        validUntil: '2027-03-02T09:00:00.000Z',
        status: 'issued',
      });
    }
    expect(new Set(batch.vouchers.map((v) => v.code)).size).toBe(3);
    expect(await accountBalance(ctx, batch.accountId)).toMatchObject({ balanceCents: 1500, kind: 'holder' });
    const issuance = await findAccountId(ctx, {
      ledger: VOUCHER_LEDGER,
      kind: 'issuance',
      reference: SYSTEM_REFERENCE,
    });
    expect(await accountBalance(ctx, issuance ?? '')).toMatchObject({ balanceCents: -1500 });
    await expectHealthy(ctx);
  });

  it('takes face value and validity from the call, else from the tenant policy', async () => {
    const { ctx } = await setup();
    const policy = { ...ctx, vouchers: { faceValueCents: 750, validityMonths: 6 } };
    const byPolicy = expectStatus(
      await issueVoucherBatch(policy, { holder: 'res-1', count: 1, idempotencyKey: 'a' }),
      'ok',
    );
    expect(byPolicy.body.vouchers[0]).toMatchObject({
      faceValueCents: 750,
      validUntil: '2026-09-02T09:00:00.000Z',
    });
    const byCall = expectStatus(
      await issueVoucherBatch(policy, {
        holder: 'res-1',
        count: 1,
        faceValueCents: 1000,
        validUntil: new Date('2026-12-31T23:00:00.000Z'),
        idempotencyKey: 'b',
      }),
      'ok',
    );
    expect(byCall.body.vouchers[0]).toMatchObject({
      faceValueCents: 1000,
      validUntil: '2026-12-31T23:00:00.000Z',
    });
    expect(byCall.body.accountId).toBe(byPolicy.body.accountId);
  });

  it('replays the same batch for the same key and request, and refuses another request under it', async () => {
    const { ctx, issue } = await setup();
    const first = await issue(2, 'k');
    const again = await issueVoucherBatch(ctx, { holder: 'res-001', count: 2, idempotencyKey: 'k' });
    expect(again).toEqual({ status: 'replay', first: { status: 'ok', body: first } });
    const other = await issueVoucherBatch(ctx, { holder: 'res-001', count: 3, idempotencyKey: 'k' });
    expect(other).toEqual({ status: 'idempotency-conflict' });
    expect(await accountBalance(ctx, first.accountId)).toMatchObject({ balanceCents: 1000 });
  });

  it('refuses a name as holder, a count outside 1..100 and a validity in the past', async () => {
    const { ctx } = await setup();
    const input = { holder: 'res-1', count: 1, idempotencyKey: 'x' };
    await expect(issueVoucherBatch(ctx, { ...input, holder: 'Jan de Vries' })).rejects.toThrow(
      LedgerInputError,
    );
    await expect(issueVoucherBatch(ctx, { ...input, count: 0 })).rejects.toThrow(/count/);
    await expect(issueVoucherBatch(ctx, { ...input, count: 101 })).rejects.toThrow(/count/);
    await expect(issueVoucherBatch(ctx, { ...input, faceValueCents: 12.5 })).rejects.toThrow(
      /faceValueCents/,
    );
    await expect(
      issueVoucherBatch(ctx, { ...input, validUntil: new Date('2020-01-01T00:00:00Z') }),
    ).rejects.toThrow(/validUntil/);
  });
});

describe('redeemVoucher', () => {
  it('moves the face value from the holder to the provider, once', async () => {
    const { ctx, issue } = await setup();
    const batch = await issue(2);
    const code = batch.vouchers[0]?.code ?? '';
    const request = { code, provider: 'zorg-bv', requestReference: 'INV-77', requestHash: 'h1' };
    const redeemed = expectStatus(await redeemVoucher(ctx, { ...request, idempotencyKey: 'r1' }), 'ok');
    expect(redeemed.body).toMatchObject({ code, faceValueCents: 500, requestReference: 'INV-77' });
    expect(redeemed.body.holderAccountId).toBe(batch.accountId);
    expect(await accountBalance(ctx, batch.accountId)).toMatchObject({ balanceCents: 500 });
    expect(await accountBalance(ctx, redeemed.body.providerAccountId)).toMatchObject({
      balanceCents: 500,
      kind: 'provider',
    });
    expect(await voucher(ctx, code)).toMatchObject({
      status: 'redeemed',
      settledAt: redeemed.body.redeemedAt,
    });

    const twice = await redeemVoucher(ctx, { ...request, idempotencyKey: 'r2', requestHash: 'h2' });
    expect(twice).toEqual({ status: 'already-redeemed', body: { code } });
    await expectHealthy(ctx);
  });

  it('replays the first answer exactly for the same key and hash, and refuses another hash', async () => {
    const { ctx, issue } = await setup();
    const [v] = (await issue(1)).vouchers;
    const request = { code: v?.code ?? '', provider: 'zorg-bv', idempotencyKey: 'r', requestHash: 'same' };
    const first = await redeemVoucher(ctx, request);
    expect(first.status).toBe('ok');
    expect(await redeemVoucher(ctx, request)).toEqual({ status: 'replay', first });
    expect(await redeemVoucher(ctx, { ...request, requestHash: 'other' })).toEqual({
      status: 'idempotency-conflict',
    });
  });

  it('stores a refusal under its key, so a retry never turns it into a success', async () => {
    const { ctx, issue, time } = await setup();
    const [v] = (await issue(1)).vouchers;
    const code = v?.code ?? '';
    time.advance(400 * DAY);
    const request = { code, provider: 'zorg-bv', idempotencyKey: 'late', requestHash: 'h' };
    const refused = await redeemVoucher(ctx, request);
    expect(refused).toEqual({ status: 'expired', body: { code } });
    time.set('2026-03-03T09:00:00.000Z'); // even if the clock were wound back
    expect(await redeemVoucher(ctx, request)).toEqual({ status: 'replay', first: refused });
  });

  it('reports a typo before any lookup, and an unknown code as not found (stored)', async () => {
    const { ctx, issue } = await setup();
    const code = (await issue(1)).vouchers[0]?.code ?? '';
    const typo = `${code.slice(0, 2)}${code[2] === '7' ? '8' : '7'}${code.slice(3)}`;
    expect(
      await redeemVoucher(ctx, { code: typo, provider: 'p', idempotencyKey: 't', requestHash: 'h' }),
    ).toEqual({
      status: 'invalid-code',
      reason: 'check',
    });
    const unknown = '0000-0000-0000-0';
    const notFound = await redeemVoucher(ctx, {
      code: unknown,
      provider: 'p',
      idempotencyKey: 'n',
      requestHash: 'h',
    });
    expect(notFound).toEqual({ status: 'not-found', body: { code: unknown } });
    expect(
      await redeemVoucher(ctx, { code: unknown, provider: 'p', idempotencyKey: 'n', requestHash: 'h' }),
    ).toEqual({ status: 'replay', first: notFound });
  });

  it('accepts the code as a resident reads it out: lower case, spaces, O for 0', async () => {
    const { ctx, issue } = await setup();
    const code = (await issue(1)).vouchers[0]?.code ?? '';
    const spoken = code.replaceAll('-', ' ').toLowerCase().replaceAll('0', 'o');
    const redeemed = await redeemVoucher(ctx, {
      code: spoken,
      provider: 'p',
      idempotencyKey: 'k',
      requestHash: 'h',
    });
    expect(expectStatus(redeemed, 'ok').body.code).toBe(code);
  });
});

describe('voidVoucher', () => {
  it('moves a lost voucher to voided and issues a replacement with the same value and validity', async () => {
    const { ctx, issue } = await setup();
    const batch = await issue(1);
    const lost = batch.vouchers[0];
    const result = expectStatus(
      await voidVoucher(ctx, { code: lost?.code ?? '', reason: 'lost', idempotencyKey: 'v' }),
      'ok',
    );
    const { replacement } = result.body;
    expect(replacement).toMatchObject({
      faceValueCents: 500,
      validUntil: lost?.validUntil,
      status: 'issued',
    });
    expect(replacement.code).not.toBe(lost?.code);
    expect(await voucher(ctx, lost?.code ?? '')).toMatchObject({
      status: 'voided',
      replacedBy: replacement.code,
    });
    expect(await voucher(ctx, replacement.code)).toMatchObject({ status: 'issued', replaces: lost?.code });
    expect(await accountBalance(ctx, batch.accountId)).toMatchObject({ balanceCents: 500 });

    const redeemOld = await redeemVoucher(ctx, {
      code: lost?.code ?? '',
      provider: 'p',
      idempotencyKey: 'r1',
      requestHash: 'h',
    });
    expect(redeemOld.status).toBe('voided');
    const redeemNew = await redeemVoucher(ctx, {
      code: replacement.code,
      provider: 'p',
      idempotencyKey: 'r2',
      requestHash: 'h',
    });
    expect(redeemNew.status).toBe('ok');
    expect(
      await voidVoucher(ctx, { code: replacement.code, reason: 'stolen', idempotencyKey: 'v2' }),
    ).toMatchObject({
      status: 'already-redeemed',
    });
    await expectHealthy(ctx);
  });
});

describe('expireVouchers', () => {
  it('moves each lapsed voucher to expired exactly once; a second run changes nothing', async () => {
    const { ctx, issue, time } = await setup('2026-03-02T09:00:00.000Z');
    const early = await issue(3, 'early');
    time.advance(30 * DAY);
    const late = await issue(2, 'late');
    await redeemVoucher(ctx, {
      code: early.vouchers[0]?.code ?? '',
      provider: 'p',
      idempotencyKey: 'r',
      requestHash: 'h',
    });

    const now = new Date('2027-03-10T00:00:00.000Z');
    time.set(now);
    expect(await expireVouchers(ctx, { now })).toEqual({ expired: 2, expiredCents: 1000 });
    expect(await expireVouchers(ctx, { now })).toEqual({ expired: 0, expiredCents: 0 });
    expect(await accountBalance(ctx, early.accountId)).toMatchObject({ balanceCents: 1000 });
    expect(await voucher(ctx, early.vouchers[1]?.code ?? '')).toMatchObject({ status: 'expired' });
    expect(await voucher(ctx, early.vouchers[0]?.code ?? '')).toMatchObject({ status: 'redeemed' });

    const later = new Date('2027-04-10T00:00:00.000Z');
    expect(await expireVouchers(ctx, { now: later })).toEqual({ expired: 2, expiredCents: 1000 });
    expect(await accountBalance(ctx, late.accountId)).toMatchObject({ balanceCents: 0 });
    const expired = await findAccountId(ctx, {
      ledger: VOUCHER_LEDGER,
      kind: 'expired',
      reference: SYSTEM_REFERENCE,
    });
    expect(await accountBalance(ctx, expired ?? '')).toMatchObject({ balanceCents: 2000 });
    await expectHealthy(ctx);
  });
});
