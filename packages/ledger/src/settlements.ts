import { VOUCHER_LEDGER } from './accounts.ts';
import { type LedgerContext, LedgerInputError } from './context.ts';
import { int, text } from './rows.ts';
import { checkDate } from './validate.ts';
import { dutchDays } from './vouchers/read.ts';

export interface ProviderSettlement {
  /** The provider's id (its voucher account's reference). */
  providerId: string;
  /** Redeemed in the period and not reversed: what the provider earned. */
  vouchers: number;
  redeemedCents: number;
  /** Of those, paid out by a payout batch; the rest is still owed. */
  paidOutCents: number;
  owedCents: number;
  /** Redeemed in the period but reversed since (counted out of `redeemedCents`). */
  reversed: { vouchers: number; cents: number };
}

export interface Settlement {
  from: string;
  to: string;
  providers: ProviderSettlement[];
  total: Omit<ProviderSettlement, 'providerId'>;
}

/**
 * What each provider is owed for the vouchers redeemed in [from, to): their number and value, less
 * the redemptions reversed since, and of that what a payout has already paid and what is still owed.
 * A payout empties a provider's account (the database holds it to that), so a redemption is paid out
 * exactly when a payout from that provider came after it; summed over all periods, `owedCents` is
 * the provider's balance.
 */
export async function settlement(ctx: LedgerContext, period: { from: Date; to: Date }): Promise<Settlement> {
  checkDate('from', period.from);
  checkDate('to', period.to);
  if (period.to < period.from) throw new LedgerInputError('to', 'must not be before from');
  const from = period.from.toISOString();
  const to = period.to.toISOString();
  const { rows } = await ctx.db.execute({
    sql: `WITH redemptions AS (
            SELECT a.reference AS provider, r.amount_cents AS cents,
              EXISTS (SELECT 1 FROM ledger_reversals AS x WHERE x.redemption_transfer_id = r.id) AS reversed,
              EXISTS (SELECT 1 FROM ledger_transfers AS p WHERE p.code = 'payout'
                      AND p.debit_account_id = r.credit_account_id AND p.sequence > r.sequence) AS paid
            FROM ledger_transfers AS r JOIN ledger_accounts AS a ON a.id = r.credit_account_id
            WHERE r.code = 'redeem' AND r.created_at >= :from AND r.created_at < :to
              AND a.ledger = '${VOUCHER_LEDGER}')
          SELECT provider,
            COUNT(CASE WHEN NOT reversed THEN 1 END) AS vouchers,
            COALESCE(SUM(CASE WHEN NOT reversed THEN cents END), 0) AS redeemed_cents,
            COALESCE(SUM(CASE WHEN NOT reversed AND paid THEN cents END), 0) AS paid_cents,
            COUNT(CASE WHEN reversed THEN 1 END) AS reversed,
            COALESCE(SUM(CASE WHEN reversed THEN cents END), 0) AS reversed_cents
          FROM redemptions GROUP BY provider ORDER BY provider`,
    args: { from, to },
  });
  const providers = rows.map((row) => {
    const redeemedCents = int(row, 'redeemed_cents');
    const paidOutCents = int(row, 'paid_cents');
    return {
      providerId: text(row, 'provider'),
      vouchers: int(row, 'vouchers'),
      redeemedCents,
      paidOutCents,
      owedCents: redeemedCents - paidOutCents,
      reversed: { vouchers: int(row, 'reversed'), cents: int(row, 'reversed_cents') },
    };
  });
  const sum = (pick: (p: ProviderSettlement) => number) => providers.reduce((total, p) => total + pick(p), 0);
  return {
    from,
    to,
    providers,
    total: {
      vouchers: sum((p) => p.vouchers),
      redeemedCents: sum((p) => p.redeemedCents),
      paidOutCents: sum((p) => p.paidOutCents),
      owedCents: sum((p) => p.owedCents),
      reversed: { vouchers: sum((p) => p.reversed.vouchers), cents: sum((p) => p.reversed.cents) },
    },
  };
}

/** The settlement for Dutch calendar days `from` to `to`, both included. */
export function settlementForDays(
  ctx: LedgerContext,
  days: { from: string; to: string },
): Promise<Settlement> {
  return settlement(ctx, dutchDays(days));
}
