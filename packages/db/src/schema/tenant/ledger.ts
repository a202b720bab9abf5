import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The voucher and budget ledger (double entry, after TigerBeetle). Migration `ledger_immutable`
 * adds the triggers that keep it honest whatever writes to it: transfers are append-only and form
 * one linear hash chain, every transfer moves both cached balances in the same statement, a
 * voucher is issued once and settled (redeemed, expired or voided) once.
 */

/** Extendable without a migration: the kind is descriptive, the flags carry the rules. */
export const LEDGER_ACCOUNT_KINDS = [
  'issuance',
  'holder',
  'provider',
  'expired',
  'voided',
  'payout',
] as const;
export type LedgerAccountKind = (typeof LEDGER_ACCOUNT_KINDS)[number];

/**
 * `reverse` undoes a redemption (provider back to holder; the voucher is open again); `payout` moves a
 * provider's whole balance to the payout account, for one payout batch.
 */
export const TRANSFER_CODES = [
  'issue',
  'redeem',
  'expire',
  'void',
  'budget',
  'spend',
  'reverse',
  'payout',
] as const;
export type TransferCode = (typeof TRANSFER_CODES)[number];

export const VOUCHER_STATUSES = ['issued', 'redeemed', 'voided', 'expired'] as const;
export type VoucherStatus = (typeof VOUCHER_STATUSES)[number];

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

/** An account's balance is credits minus debits; the sum over all accounts is always 0. */
export const ledgerAccounts = sqliteTable(
  'ledger_accounts',
  {
    id: text('id').primaryKey(),
    /** Value only moves between accounts of one ledger: `vouchers`, `budget:2026`. */
    ledger: text('ledger').notNull(),
    kind: text('kind', { enum: LEDGER_ACCOUNT_KINDS }).notNull(),
    /** An opaque holder or provider reference (never a name); `system` for the tenant's own accounts. */
    reference: text('reference').notNull(),
    /** False only where the account is a source of value (issuance), which may go negative. */
    debitsMustNotExceedCredits: integer('debits_must_not_exceed_credits', { mode: 'boolean' })
      .notNull()
      .default(true),
    /** Cached; moved by the transfer trigger, checked against the transfers by `auditBalances`. */
    balanceCents: integer('balance_cents').notNull().default(0),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [
    uniqueIndex('ledger_accounts_identity').on(t.ledger, t.kind, t.reference),
    check('ledger_accounts_no_overdraft', sql`${t.debitsMustNotExceedCredits} = 0 OR ${t.balanceCents} >= 0`),
    check('ledger_accounts_integer_balance', sql`typeof(${t.balanceCents}) = 'integer'`),
  ],
);

/** Immutable facts, each linked to the one before by `prev_hash`. */
export const ledgerTransfers = sqliteTable(
  'ledger_transfers',
  {
    id: text('id').primaryKey(),
    /** 1, 2, 3, … without gaps: the position in the hash chain. */
    sequence: integer('sequence').notNull().unique(),
    debitAccountId: text('debit_account_id')
      .notNull()
      .references(() => ledgerAccounts.id),
    creditAccountId: text('credit_account_id')
      .notNull()
      .references(() => ledgerAccounts.id),
    amountCents: integer('amount_cents').notNull(),
    code: text('code', { enum: TRANSFER_CODES }).notNull(),
    /** What the value belongs to: a voucher code, or a budget ledger such as `budget:2026`. */
    reference: text('reference').notNull(),
    /** The requester's own reference, such as a provider's invoice number. */
    externalReference: text('external_reference'),
    /** The key of the command that made it; a command with several transfers numbers them by `leg`. */
    idempotencyKey: text('idempotency_key'),
    leg: integer('leg').notNull().default(0),
    createdAt: text('created_at').notNull(),
    prevHash: text('prev_hash').notNull(),
    /** SHA-256 of `prev_hash` followed by the canonical fields; see `@wijkteams/ledger`. */
    hash: text('hash').notNull().unique(),
  },
  (t) => [
    uniqueIndex('ledger_transfers_idempotency')
      .on(t.idempotencyKey, t.leg)
      .where(sql`${t.idempotencyKey} IS NOT NULL`),
    uniqueIndex('ledger_transfers_voucher_issued_once').on(t.reference).where(sql`${t.code} = 'issue'`),
    // A voucher is settled at most once while it is open: trigger `ledger_transfers_voucher_settle`
    // (a reversal opens it again, so this can no longer be a unique index).
    index('ledger_transfers_reference_idx').on(t.reference, t.sequence),
    index('ledger_transfers_debit_idx').on(t.debitAccountId, t.sequence),
    index('ledger_transfers_credit_idx').on(t.creditAccountId, t.sequence),
    index('ledger_transfers_code_idx').on(t.code, t.createdAt),
    check(
      'ledger_transfers_positive_amount',
      sql`typeof(${t.amountCents}) = 'integer' AND ${t.amountCents} > 0`,
    ),
    check('ledger_transfers_two_accounts', sql`${t.debitAccountId} <> ${t.creditAccountId}`),
    check('ledger_transfers_sequence', sql`${t.sequence} >= 1`),
    check('ledger_transfers_hash_shape', sql`length(${t.hash}) = 64 AND length(${t.prevHash}) = 64`),
  ],
);

/** Dienstencheques. The status is moved by the settling transfer's trigger, never directly. */
export const ledgerVouchers = sqliteTable(
  'ledger_vouchers',
  {
    id: text('id').primaryKey(),
    /** Printed code with check character, canonical form `ABCD-EFGH-JKMN-P`. */
    code: text('code').notNull().unique(),
    holderAccountId: text('holder_account_id')
      .notNull()
      .references(() => ledgerAccounts.id),
    faceValueCents: integer('face_value_cents').notNull(),
    /** ISO instant; the voucher is expired from this moment on. */
    validUntil: text('valid_until').notNull(),
    status: text('status', { enum: VOUCHER_STATUSES }).notNull().default('issued'),
    issuedAt: text('issued_at').notNull(),
    issueTransferId: text('issue_transfer_id').notNull(),
    settledAt: text('settled_at'),
    settleTransferId: text('settle_transfer_id'),
    /** The batch it was issued in (a replacement is a batch of one); what is printed together. */
    batchId: text('batch_id'),
    /** Set on a replacement for a lost or stolen voucher. */
    replacesVoucherId: text('replaces_voucher_id'),
    replaceReason: text('replace_reason'),
  },
  (t) => [
    index('ledger_vouchers_due_idx').on(t.status, t.validUntil),
    index('ledger_vouchers_holder_idx').on(t.holderAccountId),
    index('ledger_vouchers_replaces_idx').on(t.replacesVoucherId),
    index('ledger_vouchers_batch_idx').on(t.batchId),
    check('ledger_vouchers_face_value', sql`${t.faceValueCents} > 0`),
    check('ledger_vouchers_status', sql`${t.status} IN ('issued', 'redeemed', 'voided', 'expired')`),
  ],
);

/**
 * The first answer to every value-moving command, kept under its idempotency key: a retry with
 * the same request gets it back exactly, failures included; another request under the key is refused.
 */
export const ledgerIdempotencyKeys = sqliteTable('ledger_idempotency_keys', {
  key: text('key').primaryKey(),
  operation: text('operation').notNull(),
  requestHash: text('request_hash').notNull(),
  /** Random token of the write that stored the row, so that write can tell it won. */
  attempt: text('attempt').notNull(),
  status: text('status').notNull(),
  body: text('body').notNull(),
  createdAt: text('created_at').notNull(),
});

/**
 * Why a redemption was undone. Not part of the hash chain (the `reverse` transfer is): written in the
 * same batch as that transfer, and like it never changed or removed.
 */
export const ledgerReversals = sqliteTable('ledger_reversals', {
  /** The `reverse` transfer. */
  transferId: text('transfer_id').primaryKey(),
  /** The redemption it undid: a redemption is reversed at most once. */
  redemptionTransferId: text('redemption_transfer_id').notNull().unique(),
  voucherCode: text('voucher_code').notNull(),
  reason: text('reason').notNull(),
  createdAt: text('created_at').notNull(),
});

/** What the municipality pays out in one go: one `payout` transfer per provider, and the bank file. */
export const ledgerPayoutBatches = sqliteTable('ledger_payout_batches', {
  id: text('id').primaryKey(),
  createdAt: text('created_at').notNull(),
  /** The day the bank is asked to pay (ISO 20022 `ReqdExctnDt`), Dutch calendar. */
  executionDate: text('execution_date').notNull(),
  totalCents: integer('total_cents').notNull(),
  payments: integer('payments').notNull(),
});

/** One provider's part of a payout batch, with the name and account it was paid to at that time. */
export const ledgerPayouts = sqliteTable(
  'ledger_payouts',
  {
    /** The `payout` transfer. */
    transferId: text('transfer_id').primaryKey(),
    batchId: text('batch_id')
      .notNull()
      .references(() => ledgerPayoutBatches.id),
    providerId: text('provider_id').notNull(),
    /** The creditor's name as sent to the bank. */
    name: text('name').notNull(),
    /** The IBAN, AES-GCM under the tenant's key like a provider's contact. */
    ibanCt: text('iban_ct').notNull(),
    amountCents: integer('amount_cents').notNull(),
  },
  (t) => [
    index('ledger_payouts_batch_idx').on(t.batchId),
    index('ledger_payouts_provider_idx').on(t.providerId),
  ],
);

export type LedgerAccount = typeof ledgerAccounts.$inferSelect;
export type LedgerTransfer = typeof ledgerTransfers.$inferSelect;
export type LedgerVoucher = typeof ledgerVouchers.$inferSelect;
export type LedgerIdempotencyKey = typeof ledgerIdempotencyKeys.$inferSelect;
