import { afterAll, describe, expect, it } from 'vitest';
import {
  accountBalance,
  auditBalances,
  issueVoucherBatch,
  payOut,
  redeemVoucher,
  reverseRedemption,
  settlementForDays,
  verifyChain,
  voucher,
  voucherReportForDays,
} from '../src/index.ts';
import { expectStatus, newLedger, scratchFolder } from './ledger-db.ts';

const folder = scratchFolder('finance');
afterAll(folder.remove);

const payee = (providerId: string) => ({
  providerId,
  name: `Naam ${providerId}`,
  ibanCt: `ct:${providerId}`,
});

/** Waalre's month: vouchers issued, redeemed by two providers, one redemption a mistake. */
async function month() {
  const { ctx, time } = await newLedger(folder.dir, '2026-11-02T09:00:00.000Z');
  const batch = expectStatus(
    await issueVoucherBatch(ctx, { holder: 'res-1', count: 6, idempotencyKey: 'i' }),
    'ok',
  ).body;
  const codes = batch.vouchers.map((v) => v.code);
  const redeem = async (i: number, provider: string) =>
    expectStatus(
      await redeemVoucher(ctx, { code: codes[i] as string, provider, idempotencyKey: `r${i}-${provider}` }),
      'ok',
    ).body;
  const r = [await redeem(0, 'prv-a'), await redeem(1, 'prv-a'), await redeem(2, 'prv-b')];
  return { ctx, time, batch, codes, redeem, r };
}

describe('reversals, payouts and settlements', () => {
  it('reverses a mistaken redemption with a new transfer: the holder has the value back, the voucher is redeemable again', async () => {
    const { ctx, batch, codes, redeem, r } = await month();
    const before = await accountBalance(ctx, batch.accountId);
    const reversal = expectStatus(
      await reverseRedemption(ctx, {
        transferId: r[1]?.transferId as string,
        reason: 'Verkeerde cheque gescand',
        idempotencyKey: 'x1',
      }),
      'ok',
    ).body;
    expect(reversal).toMatchObject({ code: codes[1], amountCents: 500, reason: 'Verkeerde cheque gescand' });
    expect((await accountBalance(ctx, batch.accountId))?.balanceCents).toBe(
      (before?.balanceCents ?? 0) + 500,
    );
    expect((await voucher(ctx, codes[1] as string))?.status).toBe('issued');
    await expect(ctx.db.execute('DELETE FROM ledger_reversals')).rejects.toThrow(/append-only/);
    // The redemption itself is untouched: the chain still verifies, every balance matches its transfers.
    expect((await verifyChain(ctx)).ok).toBe(true);
    expect((await auditBalances(ctx)).ok).toBe(true);
    // The same reversal again is a replay; another key for it finds it reversed already.
    expect(
      await reverseRedemption(ctx, {
        transferId: r[1]?.transferId as string,
        reason: 'Verkeerde cheque gescand',
        idempotencyKey: 'x1',
      }),
    ).toEqual({ status: 'replay', first: { status: 'ok', body: reversal } });
    expect(
      await reverseRedemption(ctx, {
        transferId: r[1]?.transferId as string,
        reason: 'nog eens',
        idempotencyKey: 'x2',
      }),
    ).toMatchObject({ status: 'already-reversed' });
    // Redeemed again, by the right provider.
    const again = await redeem(1, 'prv-b');
    expect(again.code).toBe(codes[1]);
    expect(
      await reverseRedemption(ctx, { transferId: 'tr_nothing', reason: 'x', idempotencyKey: 'x3' }),
    ).toEqual({
      status: 'not-found',
    });
    const report = await voucherReportForDays(ctx, { from: '2026-11-01', to: '2026-11-30' });
    expect(report).toMatchObject({ issuedCents: 3000, redeemedCents: 1500, outstandingCents: 1500 });
    expect(report.issuedCents).toBe(
      report.redeemedCents + report.expiredCents + report.voidedCents + report.outstandingCents,
    );
  });

  it('settles per provider: the period’s redemptions minus reversals, paid out and still owed', async () => {
    const { ctx, time, r, redeem } = await month();
    expectStatus(
      await reverseRedemption(ctx, {
        transferId: r[0]?.transferId as string,
        reason: 'dubbel',
        idempotencyKey: 'x',
      }),
      'ok',
    );
    time.set('2026-12-03T10:00:00.000Z');
    await redeem(3, 'prv-a');
    const november = await settlementForDays(ctx, { from: '2026-11-01', to: '2026-11-30' });
    expect(november.providers).toEqual([
      {
        providerId: 'prv-a',
        vouchers: 1,
        redeemedCents: 500,
        paidOutCents: 0,
        owedCents: 500,
        reversed: { vouchers: 1, cents: 500 },
      },
      {
        providerId: 'prv-b',
        vouchers: 1,
        redeemedCents: 500,
        paidOutCents: 0,
        owedCents: 500,
        reversed: { vouchers: 0, cents: 0 },
      },
    ]);
    expect(november.total).toEqual({
      vouchers: 2,
      redeemedCents: 1000,
      paidOutCents: 0,
      owedCents: 1000,
      reversed: { vouchers: 1, cents: 500 },
    });
    const december = await settlementForDays(ctx, { from: '2026-12-01', to: '2026-12-31' });
    expect(december.total).toMatchObject({ vouchers: 1, redeemedCents: 500 });
  });

  it('pays each provider its whole balance once per key, and a paid redemption can no longer be reversed', async () => {
    const { ctx, r, redeem } = await month();
    const input = {
      payees: [payee('prv-a'), payee('prv-b'), payee('prv-none')],
      executionDate: '2026-12-04',
      idempotencyKey: 'p1',
    };
    const batch = expectStatus(await payOut(ctx, input), 'ok').body;
    expect(batch.payouts.map((p) => [p.providerId, p.amountCents])).toEqual([
      ['prv-a', 1000],
      ['prv-b', 500],
    ]);
    expect(batch.totalCents).toBe(1500);
    // The same batch again pays nothing more.
    expect(await payOut(ctx, input)).toEqual({ status: 'replay', first: { status: 'ok', body: batch } });
    expect(await payOut(ctx, { ...input, idempotencyKey: 'p2' })).toEqual({ status: 'nothing-owed' });
    const refused = await reverseRedemption(ctx, {
      transferId: r[0]?.transferId as string,
      reason: 'te laat',
      idempotencyKey: 'x',
    });
    expect(refused).toEqual({
      status: 'paid-out',
      body: { transferId: r[0]?.transferId, payoutBatchId: batch.batchId },
    });
    // What is redeemed after the payout is owed, and can be reversed.
    const later = await redeem(4, 'prv-a');
    const november = await settlementForDays(ctx, { from: '2026-11-01', to: '2026-11-30' });
    expect(november.total).toMatchObject({
      vouchers: 4,
      redeemedCents: 2000,
      paidOutCents: 1500,
      owedCents: 500,
    });
    expectStatus(
      await reverseRedemption(ctx, { transferId: later.transferId, reason: 'fout', idempotencyKey: 'y' }),
      'ok',
    );
    expect((await verifyChain(ctx)).ok).toBe(true);
    expect((await auditBalances(ctx)).ok).toBe(true);
  });

  it('refuses, in the database itself, a payout that is not the whole balance and a reversal of a paid redemption', async () => {
    const { ctx, r } = await month();
    expectStatus(
      await payOut(ctx, { payees: [payee('prv-a')], executionDate: '2026-12-04', idempotencyKey: 'p' }),
      'ok',
    );
    const tail = (
      await ctx.db.execute(
        'SELECT sequence, hash, created_at FROM ledger_transfers ORDER BY sequence DESC LIMIT 1',
      )
    ).rows[0] as unknown as { sequence: number; hash: string; created_at: string };
    const account = async (kind: string, reference: string) =>
      (
        await ctx.db.execute({
          sql: 'SELECT id FROM ledger_accounts WHERE kind = ? AND reference = ?',
          args: [kind, reference],
        })
      ).rows[0]?.id as string;
    const insert = (code: string, debit: string, credit: string, reference: string, cents = 500) =>
      ctx.db.execute({
        sql: `INSERT INTO ledger_transfers (id, sequence, debit_account_id, credit_account_id, amount_cents, code,
                reference, created_at, prev_hash, hash)
              VALUES ('tr_x', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        args: [
          Number(tail.sequence) + 1,
          debit,
          credit,
          cents,
          code,
          reference,
          tail.created_at,
          tail.hash,
          'f'.repeat(64),
        ],
      });
    const prvB = await account('provider', 'prv-b');
    const payoutAccount = await account('payout', 'system');
    const holder = await account('holder', 'res-1');
    // prv-b is owed 500 but a payout of part of a balance, or to anything but the payout account, is refused.
    await expect(insert('payout', prvB, payoutAccount, 'pay_x', 100)).rejects.toThrow(/whole balance/);
    await expect(insert('payout', prvB, holder, 'pay_x')).rejects.toThrow(
      /whole balance to the payout account/,
    );
    await expect(insert('redeem', prvB, payoutAccount, 'x')).rejects.toThrow(/only a payout or a reversal/);
    const prvA = await account('provider', 'prv-a');
    const code = (
      await ctx.db.execute({
        sql: 'SELECT reference FROM ledger_transfers WHERE id = ?',
        args: [r[0]?.transferId ?? ''],
      })
    ).rows[0]?.reference as string;
    await expect(insert('reverse', prvA, holder, code)).rejects.toThrow(/unpaid redemption/);
    await expect(ctx.db.execute('UPDATE ledger_payout_batches SET total_cents = 1')).rejects.toThrow(
      /append-only/,
    );
  });
});
