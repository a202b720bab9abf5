import { afterAll, describe, expect, it } from 'vitest';
import {
  accountBalance,
  accountStatement,
  expireVouchers,
  issueVoucherBatch,
  redeemVoucher,
  voidVoucher,
  voucherReport,
  voucherReportForDays,
} from '../src/index.ts';
import { expectStatus, HOUR, newLedger, scratchFolder } from './ledger-db.ts';

const folder = scratchFolder('queries');
afterAll(folder.remove);

describe('accountBalance', () => {
  it('gives the balance at any moment from the transfers dated up to it', async () => {
    const { ctx, time } = await newLedger(folder.dir, '2026-03-02T09:00:00.000Z');
    const batch = expectStatus(
      await issueVoucherBatch(ctx, { holder: 'r', count: 2, idempotencyKey: 'i' }),
      'ok',
    ).body;
    time.advance(2 * HOUR);
    await redeemVoucher(ctx, {
      code: batch.vouchers[0]?.code ?? '',
      provider: 'p',
      idempotencyKey: 'r',
      requestHash: 'h',
    });

    const at = (iso: string) => accountBalance(ctx, batch.accountId, new Date(iso));
    expect(await at('2026-03-02T08:59:59.999Z')).toMatchObject({ balanceCents: 0 });
    expect(await at('2026-03-02T09:00:00.000Z')).toMatchObject({
      balanceCents: 1000,
      asOf: '2026-03-02T09:00:00.000Z',
    });
    expect(await at('2026-03-02T10:59:59.999Z')).toMatchObject({ balanceCents: 1000 });
    expect(await at('2026-03-02T11:00:00.000Z')).toMatchObject({ balanceCents: 500 });
    expect(await accountBalance(ctx, batch.accountId)).toMatchObject({ balanceCents: 500, asOf: null });
    expect(await accountBalance(ctx, 'acc_unknown')).toBeNull();
  });
});

describe('accountStatement', () => {
  it('pages through an account oldest first with a running balance', async () => {
    const { ctx, time } = await newLedger(folder.dir);
    const batch = expectStatus(
      await issueVoucherBatch(ctx, { holder: 'r', count: 5, idempotencyKey: 'i' }),
      'ok',
    ).body;
    for (const [n, v] of batch.vouchers.slice(0, 3).entries()) {
      time.advance(HOUR);
      await redeemVoucher(ctx, { code: v.code, provider: 'p', idempotencyKey: `r${n}`, requestHash: 'h' });
    }
    const pages = [];
    let cursor: string | null = null;
    do {
      const page = await accountStatement(ctx, batch.accountId, { cursor, limit: 3 });
      if (!page) throw new Error('no statement');
      pages.push(page.entries);
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);
    const entries = pages.flat();
    expect(entries.map((e) => e.amountCents)).toEqual([500, 500, 500, 500, 500, -500, -500, -500]);
    expect(entries.map((e) => e.balanceAfterCents)).toEqual([500, 1000, 1500, 2000, 2500, 2000, 1500, 1000]);
    expect(entries.map((e) => e.code)).toEqual([
      'issue',
      'issue',
      'issue',
      'issue',
      'issue',
      'redeem',
      'redeem',
      'redeem',
    ]);
    expect(await accountStatement(ctx, 'acc_unknown', { limit: 10 })).toBeNull();
  });
});

describe('voucherReport', () => {
  it('counts Dutch days: a voucher issued at 00:30 Dutch time on 1 April counts in April, not March', async () => {
    const { ctx } = await newLedger(folder.dir, '2026-03-31T22:30:00.000Z'); // 00:30 CEST on 1 April
    expectStatus(await issueVoucherBatch(ctx, { holder: 'night', count: 1, idempotencyKey: 'n' }), 'ok');
    const march = await voucherReportForDays(ctx, { from: '2026-03-01', to: '2026-03-31' });
    const april = await voucherReportForDays(ctx, { from: '2026-04-01', to: '2026-04-30' });
    expect(march.issuedCents).toBe(0);
    expect(april).toMatchObject({ issuedCents: 500, outstandingCents: 500 });
    // The period runs from midnight in the Netherlands: 22:00 UTC the day before in summer time.
    expect(april).toMatchObject({ from: '2026-03-31T22:00:00.000Z', to: '2026-04-30T22:00:00.000Z' });
  });

  it('splits what was issued in a period into redeemed, expired, voided and outstanding at its end', async () => {
    const { ctx, time } = await newLedger(folder.dir, '2026-01-10T09:00:00.000Z');
    const q1 = expectStatus(
      await issueVoucherBatch(ctx, { holder: 'a', count: 6, idempotencyKey: 'q1' }),
      'ok',
    ).body;
    const short = expectStatus(
      await issueVoucherBatch(ctx, {
        holder: 'b',
        count: 2,
        faceValueCents: 1000,
        validUntil: new Date('2026-02-01T00:00:00.000Z'),
        idempotencyKey: 'short',
      }),
      'ok',
    ).body;
    const code = (i: number) => q1.vouchers[i]?.code ?? '';
    time.set('2026-02-15T09:00:00.000Z');
    await redeemVoucher(ctx, { code: code(0), provider: 'p', idempotencyKey: 'r0', requestHash: 'h' });
    await redeemVoucher(ctx, { code: code(1), provider: 'p', idempotencyKey: 'r1', requestHash: 'h' });
    const voided = expectStatus(
      await voidVoucher(ctx, { code: code(2), reason: 'stolen', idempotencyKey: 'v' }),
      'ok',
    );
    await expireVouchers(ctx, { now: time.clock() });
    time.set('2026-04-15T09:00:00.000Z');
    await redeemVoucher(ctx, { code: code(3), provider: 'p', idempotencyKey: 'r3', requestHash: 'h' });
    await redeemVoucher(ctx, {
      code: voided.body.replacement.code,
      provider: 'p',
      idempotencyKey: 'r4',
      requestHash: 'h',
    });
    expect(short.vouchers).toHaveLength(2);

    const q1Report = await voucherReport(ctx, {
      from: new Date('2026-01-01T00:00:00.000Z'),
      to: new Date('2026-04-01T00:00:00.000Z'),
    });
    expect(q1Report).toMatchObject({
      issuedCents: 6 * 500 + 2 * 1000 + 500,
      redeemedCents: 1000,
      expiredCents: 2000,
      voidedCents: 500,
      outstandingCents: 3 * 500 + 500,
      vouchers: { issued: 9, redeemed: 2, expired: 2, voided: 1, outstanding: 4 },
    });
    // Later redemptions do not change a period that has ended; the short vouchers lapsed at its very
    // end (valid until 1 February 00:00), so they count as expired although the expiry run came later.
    const january = await voucherReport(ctx, {
      from: new Date('2026-01-01T00:00:00.000Z'),
      to: new Date('2026-02-01T00:00:00.000Z'),
    });
    expect(january).toMatchObject({
      issuedCents: 5000,
      outstandingCents: 3000,
      expiredCents: 2000,
      redeemedCents: 0,
    });
    const year = await voucherReport(ctx, {
      from: new Date('2026-01-01T00:00:00.000Z'),
      to: new Date('2027-01-01T00:00:00.000Z'),
    });
    expect(year).toMatchObject({ issuedCents: 5500, redeemedCents: 2000, outstandingCents: 1000 });
    for (const r of [q1Report, january, year]) {
      expect(r.issuedCents).toBe(r.redeemedCents + r.expiredCents + r.voidedCents + r.outstandingCents);
    }
  });
});
