import { newId } from '@wijkteams/db';
import { systemAccount, VOUCHER_LEDGER } from '../accounts.ts';
import { appendToChain, insertTransfer } from '../chain.ts';
import { prepare, withRetries } from '../commands.ts';
import type { LedgerContext } from '../context.ts';
import { checkDate } from '../validate.ts';
import { voucherRowOf } from './shared.ts';

export interface ExpiryRun {
  expired: number;
  expiredCents: number;
}

/** Vouchers expired per write; a run loops until none is left. */
const EXPIRY_BATCH = 200;

/**
 * Moves the value of every issued voucher whose validity ended at or before `now` from its holder to
 * `expired`. Each voucher expires at most once (its settling transfer is unique), so a second run,
 * or two runs at the same time, change nothing more. A system sweep, so it has no idempotency key.
 */
export async function expireVouchers(ctx: LedgerContext, input: { now: Date }): Promise<ExpiryRun> {
  checkDate('now', input.now);
  const now = input.now.toISOString();
  const run: ExpiryRun = { expired: 0, expiredCents: 0 };
  for (;;) {
    const step = await withRetries(ctx, async () => {
      const plan = await prepare(
        ctx,
        null,
        [systemAccount(VOUCHER_LEDGER, 'expired')],
        [
          {
            sql: `SELECT * FROM ledger_vouchers WHERE status = 'issued' AND valid_until <= ?
                  ORDER BY valid_until, id LIMIT ?`,
            args: [now, BigInt(EXPIRY_BATCH)],
          },
        ],
      );
      if ('answered' in plan) throw new Error('An expiry run has no idempotency key');
      const [expiredId] = plan.accountIds as [string];
      const due = (plan.reads[0]?.rows ?? []).map(voucherRowOf);
      if (due.length === 0) return { expired: 0, expiredCents: 0, full: false };
      const transfers = appendToChain(
        plan.tail,
        ctx.clock(),
        due.map((v) => ({
          id: newId('tr'),
          debitAccountId: v.holderAccountId,
          creditAccountId: expiredId,
          amountCents: v.faceValueCents,
          code: 'expire' as const,
          reference: v.code,
          externalReference: null,
          idempotencyKey: null,
          leg: 0,
        })),
      );
      // Each move is guarded on its voucher still being due; one that was settled in the meantime
      // also moved the chain, so the batch aborts and the run plans again.
      const results = await ctx.db.batch(
        transfers.map((t, i) =>
          insertTransfer(t, {
            sql: `EXISTS (SELECT 1 FROM ledger_vouchers
                          WHERE id = :g_voucher AND status = 'issued' AND valid_until <= :g_now)`,
            args: { g_voucher: due[i]?.id ?? '', g_now: now },
          }),
        ),
        'write',
      );
      const moved = transfers.filter((_, i) => results[i]?.rowsAffected === 1);
      return {
        expired: moved.length,
        expiredCents: moved.reduce((sum, t) => sum + t.amountCents, 0),
        full: due.length === EXPIRY_BATCH,
      };
    });
    run.expired += step.expired;
    run.expiredCents += step.expiredCents;
    if (!step.full) return run;
  }
}
