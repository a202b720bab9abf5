import type { InStatement, InValue, Row } from '@libsql/client';
import type { VoucherStatus } from '@wijkteams/db';
import type { Guard } from '../chain.ts';
import { int, text, textOrNull } from '../rows.ts';

/** A voucher as issued to a holder; the shape of the contract's voucher batch. */
export interface IssuedVoucher {
  code: string;
  faceValueCents: number;
  validUntil: string;
  status: 'issued';
}

export type SettleRefusal = 'already-redeemed' | 'voided' | 'expired' | 'not-found';

export interface VoucherRow {
  id: string;
  code: string;
  holderAccountId: string;
  faceValueCents: number;
  validUntil: string;
  status: VoucherStatus;
  issuedAt: string;
  settledAt: string | null;
  replacesVoucherId: string | null;
  batchId: string | null;
  settleTransferId: string | null;
}

export const readVoucher = (code: string): InStatement => ({
  sql: 'SELECT * FROM ledger_vouchers WHERE code = ?',
  args: [code],
});

/** Many vouchers in one statement (group commit). */
export const readVouchers = (codes: string[]): InStatement => ({
  sql: `SELECT * FROM ledger_vouchers WHERE code IN (${codes.map(() => '?').join(', ')})`,
  args: codes,
});

export function voucherRowOf(row: Row): VoucherRow {
  return {
    id: text(row, 'id'),
    code: text(row, 'code'),
    holderAccountId: text(row, 'holder_account_id'),
    faceValueCents: int(row, 'face_value_cents'),
    validUntil: text(row, 'valid_until'),
    status: text(row, 'status') as VoucherStatus,
    issuedAt: text(row, 'issued_at'),
    settledAt: textOrNull(row, 'settled_at'),
    replacesVoucherId: textOrNull(row, 'replaces_voucher_id'),
    batchId: textOrNull(row, 'batch_id'),
    settleTransferId: textOrNull(row, 'settle_transfer_id'),
  };
}

/**
 * Whether the voucher `:code` can be settled at `:now`, decided inside the write. A voucher past its
 * validity counts as expired even before the expiry run has moved its value.
 */
const SETTLE_OUTCOME = `(SELECT CASE
    WHEN status = 'redeemed' THEN 'already-redeemed'
    WHEN status = 'voided' THEN 'voided'
    WHEN status = 'expired' OR valid_until <= :now THEN 'expired'
    ELSE 'ok' END
  FROM ledger_vouchers WHERE code = :code)`;

/** `SETTLE_OUTCOME` in JavaScript, for a plan that must know the outcome before the write. */
export function settleOutcomeOf(voucher: VoucherRow, now: string): 'ok' | SettleRefusal {
  if (voucher.status === 'redeemed') return 'already-redeemed';
  if (voucher.status === 'voided') return 'voided';
  if (voucher.status === 'expired' || voucher.validUntil <= now) return 'expired';
  return 'ok';
}

/** For a code the plan did not find: still not there, or the plan is stale and is made again. */
const NOT_FOUND_OUTCOME = `(CASE WHEN EXISTS (SELECT 1 FROM ledger_vouchers WHERE code = :code)
  THEN 'stale' ELSE 'not-found' END)`;

/**
 * How redeeming or voiding the voucher `code` is decided inside its write: the outcome expression,
 * the body of a refusal, and their arguments. `found` is whether the plan found the voucher.
 */
export function settleDecision(
  code: string,
  at: Date,
  found: boolean,
): { outcome: string; refusalBody: string; args: Record<string, InValue> } {
  return {
    outcome: found ? SETTLE_OUTCOME : NOT_FOUND_OUTCOME,
    refusalBody: "json_object('code', :code)",
    args: found ? { code, now: at.toISOString() } : { code },
  };
}

export interface NewVoucher {
  id: string;
  code: string;
  holderAccountId: string;
  faceValueCents: number;
  validUntil: string;
  issuedAt: string;
  issueTransferId: string;
  replacesVoucherId: string | null;
  replaceReason: string | null;
  batchId: string;
}

export function insertVoucher(v: NewVoucher, guard: Guard): InStatement {
  return {
    sql: `INSERT INTO ledger_vouchers (id, code, holder_account_id, face_value_cents, valid_until, issued_at,
            issue_transfer_id, replaces_voucher_id, replace_reason, batch_id)
          SELECT :v_id, :v_code, :v_holder, :v_face, :v_valid_until, :v_issued_at, :v_transfer, :v_replaces,
            :v_reason, :v_batch
          WHERE ${guard.sql}`,
    args: {
      v_id: v.id,
      v_code: v.code,
      v_holder: v.holderAccountId,
      v_face: BigInt(v.faceValueCents),
      v_valid_until: v.validUntil,
      v_issued_at: v.issuedAt,
      v_transfer: v.issueTransferId,
      v_replaces: v.replacesVoucherId,
      v_reason: v.replaceReason,
      v_batch: v.batchId,
      ...guard.args,
    },
  };
}
