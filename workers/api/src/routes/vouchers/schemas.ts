import { z } from '@hono/zod-openapi';
import { LEDGER_ACCOUNT_KINDS, TRANSFER_CODES, VOUCHER_STATUSES } from '@wijkteams/db';
import { VOID_REASONS, voucherCodeFor } from '@wijkteams/ledger';
import { EXAMPLE } from '../schemas.ts';

/** Example values of the voucher routes; the codes carry a real check symbol, so they parse. */
export const VOUCHER_EXAMPLE = {
  code: voucherCodeFor('K7QF3M9XT2HD'),
  replacement: voucherCodeFor('7KQM3XPD9RTA'),
  accountId: 'acc_01jdq3c8e0g2j4l6n8q0s2u4wy',
  providerAccountId: 'acc_01jdq3d1f3h5k7m9p1r3t5v7xz',
  transferId: 'tr_01jdq3e4g6j8l0n2q4s6u8w0y2',
  batchId: 'vb_01jdq3b2c4e6g8j0l2n4q6s8u0',
  holder: 'res-8f3a2c',
  provider: 'prv-klusbedrijf-aalst',
  validUntil: '2027-03-02T09:15:00.000Z',
} as const;

const Cents = z.number().int();

/** The voucher report of the examples, in the JSON and in the CSV. */
export const VOUCHER_REPORT_EXAMPLE = {
  from: '2026-01-01',
  to: '2026-03-31',
  issuedCents: 10_000,
  redeemedCents: 6_000,
  expiredCents: 500,
  voidedCents: 500,
  outstandingCents: 3_000,
  vouchers: { issued: 20, redeemed: 12, expired: 1, voided: 1, outstanding: 6 },
};

/** An account statement's entry of the examples, in the JSON and in the CSV. */
export const STATEMENT_ENTRY_EXAMPLE = {
  transferId: VOUCHER_EXAMPLE.transferId,
  sequence: 41,
  createdAt: EXAMPLE.at,
  code: 'issue' as const,
  reference: VOUCHER_EXAMPLE.code,
  externalReference: null,
  amountCents: 500,
  counterpartyAccountId: 'acc_01jdq3g0j2l4n6q8s0u2w4y6a8',
  balanceAfterCents: 500,
};
const Code = z.string().openapi({ example: VOUCHER_EXAMPLE.code });

export const IssuedVoucherSchema = z
  .object({
    code: Code,
    faceValueCents: Cents.openapi({ example: 500 }),
    validUntil: z.string().datetime(),
    status: z.literal('issued'),
  })
  .openapi('IssuedVoucher', {
    example: {
      code: VOUCHER_EXAMPLE.code,
      faceValueCents: 500,
      validUntil: VOUCHER_EXAMPLE.validUntil,
      status: 'issued',
    },
  });

export const BatchIdSchema = z
  .string()
  .regex(/^vb_[0-9A-Za-z]{26}$/)
  .openapi({
    example: VOUCHER_EXAMPLE.batchId,
    description: 'The vouchers issued together, printed together',
  });

export const IssuedBatchSchema = z
  .object({
    batchId: BatchIdSchema,
    accountId: z.string().openapi({ description: 'The holder’s voucher account' }),
    vouchers: z.array(IssuedVoucherSchema),
  })
  .openapi('IssuedBatch', {
    example: {
      batchId: VOUCHER_EXAMPLE.batchId,
      accountId: VOUCHER_EXAMPLE.accountId,
      vouchers: [
        {
          code: VOUCHER_EXAMPLE.code,
          faceValueCents: 500,
          validUntil: VOUCHER_EXAMPLE.validUntil,
          status: 'issued',
        },
        {
          code: VOUCHER_EXAMPLE.replacement,
          faceValueCents: 500,
          validUntil: VOUCHER_EXAMPLE.validUntil,
          status: 'issued',
        },
      ],
    },
  });

const REDEEMED_VOUCHER_EXAMPLE = {
  code: VOUCHER_EXAMPLE.code,
  status: 'redeemed' as const,
  faceValueCents: 500,
  validUntil: VOUCHER_EXAMPLE.validUntil,
  accountId: VOUCHER_EXAMPLE.accountId,
  issuedAt: EXAMPLE.at,
  settledAt: EXAMPLE.later as string | null,
  replaces: null,
  replacedBy: null,
};

export const VoucherSchema = z
  .object({
    code: Code,
    status: z.enum(VOUCHER_STATUSES).openapi({ description: '`expired` as soon as validUntil has passed' }),
    faceValueCents: Cents,
    validUntil: z.string().datetime(),
    accountId: z.string().openapi({ description: 'The holder’s voucher account' }),
    issuedAt: z.string().datetime(),
    settledAt: z.string().datetime().nullable(),
    replaces: z.string().nullable().openapi({ description: 'The code this voucher replaced' }),
    replacedBy: z.string().nullable().openapi({ description: 'The code that replaced this voucher' }),
  })
  .openapi('Voucher', { example: REDEEMED_VOUCHER_EXAMPLE });

export const RedemptionReceiptSchema = z
  .object({
    code: Code,
    faceValueCents: Cents,
    holderAccountId: z.string(),
    providerAccountId: z.string(),
    transferId: z.string(),
    requestReference: z.string().nullable(),
    redeemedAt: z.string().datetime(),
  })
  .openapi('RedemptionReceipt', {
    example: {
      code: VOUCHER_EXAMPLE.code,
      faceValueCents: 500,
      holderAccountId: VOUCHER_EXAMPLE.accountId,
      providerAccountId: VOUCHER_EXAMPLE.providerAccountId,
      transferId: VOUCHER_EXAMPLE.transferId,
      requestReference: 'WAA-2026-000042',
      redeemedAt: EXAMPLE.later,
    },
  });

export const VoidingReceiptSchema = z
  .object({
    accountId: z.string(),
    reason: z.enum(VOID_REASONS),
    voided: z.object({
      code: Code,
      faceValueCents: Cents,
      status: z.literal('voided'),
      transferId: z.string(),
    }),
    replacement: z.object({
      code: Code,
      faceValueCents: Cents,
      validUntil: z.string().datetime(),
      status: z.literal('issued'),
      transferId: z.string(),
      batchId: BatchIdSchema,
    }),
  })
  .openapi('VoidingReceipt', {
    example: {
      accountId: VOUCHER_EXAMPLE.accountId,
      reason: 'lost',
      voided: {
        code: VOUCHER_EXAMPLE.code,
        faceValueCents: 500,
        status: 'voided',
        transferId: VOUCHER_EXAMPLE.transferId,
      },
      replacement: {
        code: VOUCHER_EXAMPLE.replacement,
        faceValueCents: 500,
        validUntil: VOUCHER_EXAMPLE.validUntil,
        status: 'issued',
        transferId: 'tr_01jdq3f7h9k1m3p5r7t9v1x3z5',
        batchId: 'vb_01jdq3f7h9k1m3p5r7t9v1x3z6',
      },
    },
  });

export const AccountBalanceSchema = z
  .object({
    accountId: z.string(),
    balanceCents: Cents,
    ledger: z.string().openapi({ description: '`vouchers`, or `budget:<year>`' }),
    kind: z.enum(LEDGER_ACCOUNT_KINDS),
    reference: z.string().openapi({ description: 'The holder’s or provider’s opaque reference' }),
    asOf: z.string().datetime(),
  })
  .openapi('AccountBalance', {
    example: {
      accountId: VOUCHER_EXAMPLE.accountId,
      balanceCents: 1500,
      ledger: 'vouchers',
      kind: 'holder',
      reference: VOUCHER_EXAMPLE.holder,
      asOf: EXAMPLE.later,
    },
  });

export const AccountStatementSchema = z
  .object({
    accountId: z.string(),
    entries: z.array(
      z
        .object({
          transferId: z.string(),
          sequence: z.number().int().min(1),
          createdAt: z.string().datetime(),
          code: z.enum(TRANSFER_CODES),
          reference: z.string(),
          externalReference: z.string().nullable(),
          amountCents: Cents.openapi({ description: 'Positive when credited, negative when debited' }),
          counterpartyAccountId: z.string(),
          balanceAfterCents: Cents,
        })
        .openapi('StatementEntry'),
    ),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass back as `cursor`; null on the last page' }),
  })
  .openapi('AccountStatement', {
    example: {
      accountId: VOUCHER_EXAMPLE.accountId,
      entries: [STATEMENT_ENTRY_EXAMPLE],
      nextCursor: null,
    },
  });

export const VoucherReportSchema = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    issuedCents: Cents,
    redeemedCents: Cents,
    expiredCents: Cents,
    voidedCents: Cents,
    outstandingCents: Cents,
    vouchers: z
      .object({
        issued: z.number().int(),
        redeemed: z.number().int(),
        expired: z.number().int(),
        voided: z.number().int(),
        outstanding: z.number().int(),
      })
      .openapi({ description: 'The same split in numbers of vouchers' }),
  })
  .openapi('VoucherReport', {
    description: 'issued = redeemed + expired + voided + outstanding, in cents and in vouchers',
    example: VOUCHER_REPORT_EXAMPLE,
  });

export const LedgerVerificationSchema = z
  .object({
    chain: z.union([
      z.object({ ok: z.literal(true), transfers: z.number().int(), headHash: z.string() }),
      z.object({
        ok: z.literal(false),
        firstBreak: z.object({ sequence: z.number().int(), id: z.string() }),
      }),
    ]),
    balances: z.object({
      ok: z.boolean().openapi({ description: 'Balances sum to 0, match their transfers, none overdrawn' }),
      accounts: z.number().int(),
      totalCents: Cents,
      mismatches: z.array(z.object({ accountId: z.string(), cachedCents: Cents, recomputedCents: Cents })),
      overdrawn: z.array(z.string()),
    }),
  })
  .openapi('LedgerVerification', {
    example: {
      chain: { ok: true, transfers: 1204, headHash: 'a3f1c9e0'.repeat(8) },
      balances: { ok: true, accounts: 58, totalCents: 0, mismatches: [], overdrawn: [] },
    },
  });

export const BudgetGrantReceiptSchema = z
  .object({
    accountId: z.string(),
    year: z.number().int(),
    amountCents: Cents,
    transferId: z.string(),
    grantedAt: z.string().datetime(),
  })
  .openapi('BudgetGrantReceipt', {
    example: {
      accountId: VOUCHER_EXAMPLE.accountId,
      year: 2026,
      amountCents: 25_000,
      transferId: VOUCHER_EXAMPLE.transferId,
      grantedAt: EXAMPLE.at,
    },
  });

export const BudgetSpendReceiptSchema = z
  .object({
    accountId: z.string(),
    providerAccountId: z.string(),
    year: z.number().int(),
    amountCents: Cents,
    balanceAfterCents: Cents,
    transferId: z.string(),
    requestReference: z.string().nullable(),
    spentAt: z.string().datetime(),
  })
  .openapi('BudgetSpendReceipt', {
    example: {
      accountId: VOUCHER_EXAMPLE.accountId,
      providerAccountId: VOUCHER_EXAMPLE.providerAccountId,
      year: 2026,
      amountCents: 2_500,
      balanceAfterCents: 22_500,
      transferId: VOUCHER_EXAMPLE.transferId,
      requestReference: null,
      spentAt: EXAMPLE.later,
    },
  });

export const VoucherBatchViewSchema = z
  .object({
    batchId: BatchIdSchema,
    accountId: z.string().openapi({ description: 'The holder’s voucher account' }),
    issuedAt: z.string().datetime(),
    vouchers: z
      .array(VoucherSchema)
      .openapi({ description: 'In the order they were issued, each as it is now' }),
  })
  .openapi('VoucherBatchView', {
    example: {
      batchId: VOUCHER_EXAMPLE.batchId,
      accountId: VOUCHER_EXAMPLE.accountId,
      issuedAt: EXAMPLE.at,
      vouchers: [
        REDEEMED_VOUCHER_EXAMPLE,
        { ...REDEEMED_VOUCHER_EXAMPLE, code: VOUCHER_EXAMPLE.replacement, status: 'issued', settledAt: null },
      ],
    },
  });
