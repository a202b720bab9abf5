import { addCalendarDays, dutchMidnight, isDay } from '@wijkteams/time';
import type { LedgerContext } from '../context.ts';
import { LedgerInputError } from '../context.ts';
import { int } from '../rows.ts';
import type { VoucherView } from './read.ts';
import { voucherRowOf } from './shared.ts';

/** A voucher in a list: its state now, without what it replaced (`voucher` has that). */
export type ListedVoucher = Omit<VoucherView, 'replaces' | 'replacedBy'>;

export interface VoucherList {
  vouchers: ListedVoucher[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** The most one page may hold (an export asks for this many). */
export const MAX_VOUCHER_LIST = 10_000;

/**
 * The vouchers issued on Dutch calendar days `from` to `to`, both included (replacements on the
 * day they were issued): the vouchers the voucher report for those days counts, in the order they
 * were issued, each with its state now (past its date it is `expired`, even before the expiry run
 * moved its value). Paged by an opaque cursor: the chain position of the voucher's issue.
 */
export async function listVouchers(
  ctx: LedgerContext,
  days: { from: string; to: string },
  page: { cursor?: string | null; limit: number },
): Promise<VoucherList> {
  if (!isDay(days.from)) throw new LedgerInputError('from', 'must be a day that exists, YYYY-MM-DD');
  if (!isDay(days.to)) throw new LedgerInputError('to', 'must be a day that exists, YYYY-MM-DD');
  if (days.to < days.from) throw new LedgerInputError('to', 'must not be before from');
  const { limit } = page;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_VOUCHER_LIST) {
    throw new LedgerInputError('limit', `must be a whole number from 1 to ${MAX_VOUCHER_LIST}`);
  }
  if (page.cursor && !/^\d{1,15}$/.test(page.cursor)) throw new LedgerInputError('cursor', 'is not a cursor');
  // The issue transfers of the period, by the (code, created_at) index, in chain order.
  const { rows } = await ctx.db.execute({
    sql: `SELECT v.*, i.sequence AS issue_sequence
          FROM ledger_transfers AS i
          JOIN ledger_vouchers AS v ON v.code = i.reference
          WHERE i.code = 'issue' AND i.created_at >= :from AND i.created_at < :to AND i.sequence > :after
          ORDER BY i.sequence
          LIMIT :limit`,
    args: {
      from: dutchMidnight(days.from).toISOString(),
      to: dutchMidnight(addCalendarDays(days.to, 1)).toISOString(),
      after: BigInt(page.cursor ? Number(page.cursor) : 0),
      limit: BigInt(limit + 1),
    },
  });
  const now = ctx.clock().toISOString();
  const vouchers = rows.slice(0, limit).map((row): ListedVoucher => {
    const v = voucherRowOf(row);
    return {
      code: v.code,
      status: v.status === 'issued' && v.validUntil <= now ? 'expired' : v.status,
      faceValueCents: v.faceValueCents,
      validUntil: v.validUntil,
      accountId: v.holderAccountId,
      issuedAt: v.issuedAt,
      settledAt: v.settledAt,
    };
  });
  const last = rows[limit - 1];
  return { vouchers, nextCursor: rows.length > limit && last ? String(int(last, 'issue_sequence')) : null };
}
