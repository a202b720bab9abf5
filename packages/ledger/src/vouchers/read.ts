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
 * had become of their value at `to`, by the last transfer dated before `to` that settled or reopened
 * each: redeemed, expired or voided, or still outstanding (never settled, or its redemption reversed).
 * A voucher past its date counts as expired at once, before the expiry run has moved its value (that
 * run's transfer, dated later, then changes nothing here). Each voucher is in exactly one of the four,
 * for its face value, so issued = redeemed + expired + voided + outstanding for any period; and since
 * no transfer is ever dated before the chain's tail, a report for a period that has ended never changes.
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
  const now = ctx.clock().toISOString();
  const result = await ctx.db.execute({
    sql: `WITH fates AS (
            SELECT i.amount_cents AS cents,
              CASE (SELECT s.code FROM ledger_transfers AS s
                    WHERE s.reference = i.reference AND s.code IN ('redeem', 'expire', 'void', 'reverse')
                      AND s.created_at < :to
                    ORDER BY s.sequence DESC LIMIT 1)
                WHEN 'redeem' THEN 'redeemed' WHEN 'expire' THEN 'expired' WHEN 'void' THEN 'voided'
                ELSE CASE WHEN v.valid_until <= min(:to, :now) THEN 'expired' ELSE 'outstanding' END
              END AS fate
            FROM ledger_transfers AS i JOIN ledger_vouchers AS v ON v.code = i.reference
            WHERE i.code = 'issue' AND i.created_at >= :from AND i.created_at < :to)
          SELECT COUNT(*) AS issued, COALESCE(SUM(cents), 0) AS issued_cents,
            ${['redeemed', 'expired', 'voided', 'outstanding']
              .map(
                (fate) => `COUNT(CASE WHEN fate = '${fate}' THEN 1 END) AS ${fate},
            COALESCE(SUM(CASE WHEN fate = '${fate}' THEN cents END), 0) AS ${fate}_cents`,
              )
              .join(',\n            ')}
          FROM fates`,
    args: { from, to, now },
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
 * Dutch calendar days `from` to `to`, both included, as instants: from midnight in the Netherlands
 * at the start of `from` to midnight after `to`. 00:30 on 1 April, Dutch time (22:30 UTC on 31
 * March), is in April.
 */
export function dutchDays(days: { from: string; to: string }): { from: Date; to: Date } {
  if (!isDay(days.from)) throw new LedgerInputError('from', 'must be a day that exists, YYYY-MM-DD');
  if (!isDay(days.to)) throw new LedgerInputError('to', 'must be a day that exists, YYYY-MM-DD');
  return { from: dutchMidnight(days.from), to: dutchMidnight(addCalendarDays(days.to, 1)) };
}

/** The report for Dutch calendar days `from` to `to`, both included (`dutchDays`). */
export function voucherReportForDays(
  ctx: LedgerContext,
  days: { from: string; to: string },
): Promise<VoucherReport> {
  return voucherReport(ctx, dutchDays(days));
}
