import { grantBudget, spendBudget } from './budgets.ts';
import type { LedgerContext } from './context.ts';
import { payOut } from './payouts.ts';
import { expireVouchers } from './vouchers/expire.ts';
import { issueVoucherBatch } from './vouchers/issue.ts';
import { redeemVoucher } from './vouchers/redeem.ts';
import { reverseRedemption } from './vouchers/reverse.ts';
import { voidVoucher } from './vouchers/void.ts';

/**
 * Every command that writes to a tenant's ledger, by name. A write is then plain data (a name and
 * its input), so it can be handed to whoever owns the tenant's writes: a queue in this process, or
 * another process (a Durable Object) that runs the same function on its side.
 */
const WRITES = {
  redeem: redeemVoucher,
  void: voidVoucher,
  issue: issueVoucherBatch,
  grant: grantBudget,
  spend: spendBudget,
  reverse: reverseRedemption,
  payout: payOut,
  // A sweep decides and dates its transfers by the `now` it is given, not by the writer's clock.
  expire: (ctx: LedgerContext, input: { now: Date }) =>
    expireVouchers({ ...ctx, clock: () => input.now }, input),
} as const;

type Writes = typeof WRITES;
export type LedgerWriteName = keyof Writes;
export type LedgerWriteInput<K extends LedgerWriteName> = Parameters<Writes[K]>[1];
export type LedgerWriteResult<K extends LedgerWriteName> = Awaited<ReturnType<Writes[K]>>;

/** Runs the named write with `ctx` (its queue and group committer included, where it has them). */
export function applyLedgerWrite<K extends LedgerWriteName>(
  ctx: LedgerContext,
  name: K,
  input: LedgerWriteInput<K>,
): Promise<LedgerWriteResult<K>> {
  const write = WRITES[name] as (
    ctx: LedgerContext,
    input: LedgerWriteInput<K>,
  ) => Promise<LedgerWriteResult<K>>;
  return write(ctx, input);
}

export const LEDGER_WRITES = Object.keys(WRITES) as LedgerWriteName[];
