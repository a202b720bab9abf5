import type { Row } from '@libsql/client';
import type { VoucherStatus } from '@wijkteams/db';
import { addCalendarDays, dutchMidnight, isDay } from '@wijkteams/time';
import { parseVoucherCode } from '../codes.ts';
import type { LedgerContext } from '../context.ts';
import { LedgerInputError } from '../context.ts';
import { aggregateRow, int, text, textOrNull } from '../rows.ts';
import { checkDate } from '../validate.ts';
import { voucherRowOf } from './shared.ts';

export interface VoucherView {
  code: string;
  /** `expired` as soon as `validUntil` has passed, even before the expiry run moved the value. */
  status: VoucherStatus;
  faceValueCents: number;
  validUntil: string;
  /** The holder's voucher account. */
  accountId: string;
  issuedAt: string;
  settledAt: string | null;
  /** The code this voucher replaced, and the code that replaced it. */
  replaces: string | null;
  replacedBy: string | null;
}

/** Vouchers with the codes they replaced and were replaced by; the caller adds its WHERE. */
const VOUCHER_VIEW_ROWS = `SELECT v.*, p.code AS replaces_code, r.code AS replaced_by_code
  FROM ledger_vouchers AS v
  LEFT JOIN ledger_vouchers AS p ON p.id = v.replaces_voucher_id
  LEFT JOIN ledger_vouchers AS r ON r.replaces_voucher_id = v.id`;

/** A voucher and its state, or null when the code is not valid or not known. */
export async function voucher(ctx: LedgerContext, code: string): Promise<VoucherView | null> {
  const parsed = parseVoucherCode(code);
  if (!parsed.ok) return null;
  const { rows } = await ctx.db.execute({
    sql: `${VOUCHER_VIEW_ROWS} WHERE v.code = ?`,
    args: [parsed.code],
  });
  const row = rows[0];
  return row ? voucherViewOf(row, ctx.clock().toISOString()) : null;
}

/** A voucher row (with the codes it replaced and was replaced by) as callers see it at `now`. */
function voucherViewOf(row: Row, now: string): VoucherView {
  const v = voucherRowOf(row);
  const lapsed = v.status === 'issued' && v.validUntil <= now;
  return {
    code: v.code,
    status: lapsed ? 'expired' : v.status,
    faceValueCents: v.faceValueCents,
    validUntil: v.validUntil,
    accountId: v.holderAccountId,
    issuedAt: v.issuedAt,
    settledAt: v.settledAt,
    replaces: textOrNull(row, 'replaces_code'),
    replacedBy: textOrNull(row, 'replaced_by_code'),
  };
}

export interface VoucherBatchView {
  batchId: string;
  /** The holder's voucher account. */
  accountId: string;
  issuedAt: string;
  /** In the order they were issued; each with its state now (past its date: `expired`). */
  vouchers: VoucherView[];
}

/** The vouchers issued together (one command; a replacement is a batch of one), or null. */
export async function voucherBatch(ctx: LedgerContext, batchId: string): Promise<VoucherBatchView | null> {
  const { rows } = await ctx.db.execute({
    sql: `${VOUCHER_VIEW_ROWS} WHERE v.batch_id = ? ORDER BY v.rowid`,
    args: [batchId],
  });
  const first = rows[0];
  if (!first) return null;
  const now = ctx.clock().toISOString();
  const vouchers = rows.map((row) => voucherViewOf(row, now));
  return {
    batchId,
    accountId: text(first, 'holder_account_id'),
    issuedAt: text(first, 'issued_at'),
    vouchers,
  };
}

export interface VoucherReport {
  from: string;
  to: string;
  issuedCents: number;
  redeemedCents: number;
  expiredCents: number;
  voidedCents: number;
  outstandingCents: number;
  /** The same split in numbers of vouchers. */
  vouchers: { issued: number; redeemed: number; expired: number; voided: number; outstanding: number };
}

/**
 * The vouchers issued in [from, to) (replacements included, on the day they were issued) and what
 * had become of their value at `to`: redeemed, expired or voided by a transfer dated before `to`, or
 * still outstanding. Every voucher is issued once and settled at most once for its face value, so
 * issued = redeemed + expired + voided + outstanding, for any period; and since no transfer is ever
 * dated before the chain's tail, a report for a period that has ended never changes.
 */
export async function voucherReport(
  ctx: LedgerContext,
  period: { from: Date; to: Date },
): Promise<VoucherReport> {
  checkDate('from', period.from);
  checkDate('to', period.to);
  if (period.to < period.from) throw new LedgerInputError('to', 'must not be before from');
  const from = period.from.toISOString();
  const to = period.to.toISOString();
  const result = await ctx.db.execute({
    sql: `SELECT
            COUNT(i.id) AS issued, COALESCE(SUM(i.amount_cents), 0) AS issued_cents,
            COUNT(CASE WHEN s.code = 'redeem' THEN 1 END) AS redeemed,
            COALESCE(SUM(CASE WHEN s.code = 'redeem' THEN s.amount_cents END), 0) AS redeemed_cents,
            COUNT(CASE WHEN s.code = 'expire' THEN 1 END) AS expired,
            COALESCE(SUM(CASE WHEN s.code = 'expire' THEN s.amount_cents END), 0) AS expired_cents,
            COUNT(CASE WHEN s.code = 'void' THEN 1 END) AS voided,
            COALESCE(SUM(CASE WHEN s.code = 'void' THEN s.amount_cents END), 0) AS voided_cents,
            COUNT(CASE WHEN s.id IS NULL THEN 1 END) AS outstanding,
            COALESCE(SUM(CASE WHEN s.id IS NULL THEN i.amount_cents END), 0) AS outstanding_cents
          FROM ledger_transfers AS i
          LEFT JOIN ledger_transfers AS s
            ON s.reference = i.reference AND s.code IN ('redeem', 'expire', 'void') AND s.created_at < :to
          WHERE i.code = 'issue' AND i.created_at >= :from AND i.created_at < :to`,
    args: { from, to },
  });
  const row = aggregateRow(result);
  return {
    from,
    to,
    issuedCents: int(row, 'issued_cents'),
    redeemedCents: int(row, 'redeemed_cents'),
    expiredCents: int(row, 'expired_cents'),
    voidedCents: int(row, 'voided_cents'),
    outstandingCents: int(row, 'outstanding_cents'),
    vouchers: {
      issued: int(row, 'issued'),
      redeemed: int(row, 'redeemed'),
      expired: int(row, 'expired'),
      voided: int(row, 'voided'),
      outstanding: int(row, 'outstanding'),
    },
  };
}

/**
 * The report for Dutch calendar days `from` to `to`, both included: from midnight in the
 * Netherlands at the start of `from` to midnight after `to`. A voucher issued at 00:30 on 1 April,
 * Dutch time (22:30 UTC on 31 March), counts in April.
 */
export function voucherReportForDays(
  ctx: LedgerContext,
  days: { from: string; to: string },
): Promise<VoucherReport> {
  if (!isDay(days.from)) throw new LedgerInputError('from', 'must be a day that exists, YYYY-MM-DD');
  if (!isDay(days.to)) throw new LedgerInputError('to', 'must be a day that exists, YYYY-MM-DD');
  return voucherReport(ctx, {
    from: dutchMidnight(days.from),
    to: dutchMidnight(addCalendarDays(days.to, 1)),
  });
}
