import { z } from '@hono/zod-openapi';
import { textLine } from '@wijkteams/db';
import { MAX_REVERSAL_REASON } from '@wijkteams/ledger';
import { DaySchema, EXAMPLE } from '../schemas.ts';
import { VOUCHER_EXAMPLE } from '../vouchers/schemas.ts';

const Cents = z.number().int();

export const FINANCE_EXAMPLE = {
  providerId: 'prv_01jdq3a2c4e6g8j0l2n4q6s8uw',
  providerName: 'Leerwerkbedrijf De Schakel',
  otherProviderId: 'prv_01jdq3a2c4e6g8j0l2n4q6s8ux',
  otherProviderName: 'Buurthulp Waalre',
  payoutBatchId: 'pay_01jdq4a2c4e6g8j0l2n4q6s8uw',
  reversalTransferId: 'tr_01jdq3g8j0l2n4q6s8u0w2y4a6',
  iban: 'NL91ABNA0417164300',
  otherIban: 'NL44RABO0123456789',
} as const;

const Day = DaySchema;

export const ReversalRequestSchema = z
  .strictObject({
    reason: textLine(MAX_REVERSAL_REASON).openapi({
      description:
        'Why the redemption is undone: one line, 1 to 300 characters, no personal data. Kept with the reversal in the municipality’s own database',
    }),
  })
  .openapi('ReversalRequest', { example: { reason: 'Cheque per vergissing twee keer gescand' } });

export const ReversalSchema = z
  .object({
    transferId: z.string().openapi({ description: 'The new `reverse` transfer' }),
    redemptionTransferId: z
      .string()
      .openapi({ description: 'The redemption it undoes (never changed itself)' }),
    code: z.string(),
    amountCents: Cents,
    holderAccountId: z.string().openapi({ description: 'Credited: the holder has the value back' }),
    providerAccountId: z.string().openapi({ description: 'Debited: the provider is owed that much less' }),
    reason: z.string(),
    reversedAt: z.string().datetime(),
    voucher: z
      .object({ code: z.string(), status: z.enum(['issued', 'expired']), validUntil: z.string().datetime() })
      .openapi({
        description: 'The voucher just after: `issued` and redeemable again (or `expired` if past its date)',
      }),
  })
  .openapi('Reversal', {
    example: {
      transferId: FINANCE_EXAMPLE.reversalTransferId,
      redemptionTransferId: VOUCHER_EXAMPLE.transferId,
      code: VOUCHER_EXAMPLE.code,
      amountCents: 500,
      holderAccountId: VOUCHER_EXAMPLE.accountId,
      providerAccountId: VOUCHER_EXAMPLE.providerAccountId,
      reason: 'Cheque per vergissing twee keer gescand',
      reversedAt: EXAMPLE.later,
      voucher: { code: VOUCHER_EXAMPLE.code, status: 'issued', validUntil: VOUCHER_EXAMPLE.validUntil },
    },
  });

const SettlementFigures = {
  vouchers: z.number().int().openapi({ description: 'Redeemed in the period and not reversed' }),
  redeemedCents: Cents.openapi({ description: 'Their value: the period’s redemptions minus those reversed' }),
  paidOutCents: Cents.openapi({ description: 'Of that, paid by a payout batch' }),
  owedCents: Cents.openapi({ description: 'Of that, still to be paid: redeemedCents − paidOutCents' }),
  reversed: z
    .object({ vouchers: z.number().int(), cents: Cents })
    .openapi({ description: 'Redeemed in the period and reversed since (left out of the figures above)' }),
};

export const ProviderSettlementSchema = z
  .object({
    providerId: z.string(),
    name: z.string().openapi({ description: 'The provider’s name now' }),
    ...SettlementFigures,
  })
  .openapi('ProviderSettlement');

const SETTLEMENT_ROWS = [
  {
    providerId: FINANCE_EXAMPLE.otherProviderId,
    name: FINANCE_EXAMPLE.otherProviderName,
    vouchers: 12,
    redeemedCents: 6000,
    paidOutCents: 6000,
    owedCents: 0,
    reversed: { vouchers: 0, cents: 0 },
  },
  {
    providerId: FINANCE_EXAMPLE.providerId,
    name: FINANCE_EXAMPLE.providerName,
    vouchers: 40,
    redeemedCents: 20000,
    paidOutCents: 15000,
    owedCents: 5000,
    reversed: { vouchers: 1, cents: 500 },
  },
];

export const SETTLEMENT_EXAMPLE = {
  from: '2026-11-01',
  to: '2026-11-30',
  providers: SETTLEMENT_ROWS,
  total: {
    vouchers: 52,
    redeemedCents: 26000,
    paidOutCents: 21000,
    owedCents: 5000,
    reversed: { vouchers: 1, cents: 500 },
  },
};

export const SettlementSchema = z
  .object({
    from: Day,
    to: Day,
    providers: z.array(ProviderSettlementSchema),
    total: z.object(SettlementFigures).openapi({ description: 'The sum over the providers' }),
  })
  .openapi('Settlement', { example: SETTLEMENT_EXAMPLE });

export const PayoutRequestSchema = z
  .strictObject({
    executionDate: Day.optional().openapi({
      description: 'The day the bank is to pay, today or later (Dutch time); default the next working day',
    }),
    providers: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(500)
      .optional()
      .openapi({ description: 'Pay only these providers; default every provider with an IBAN that is owed' }),
  })
  .openapi('PayoutRequest', { example: { providers: [FINANCE_EXAMPLE.providerId] } });

const PayoutSchema = z
  .object({
    providerId: z.string(),
    name: z.string().openapi({ description: 'The name it was paid under' }),
    iban: z.string().openapi({ description: 'The account it was paid to, as it was then' }),
    amountCents: Cents.openapi({ description: 'Everything it was owed at that moment' }),
    transferId: z.string().openapi({ description: 'The `payout` transfer; the bank file’s EndToEndId' }),
  })
  .openapi('Payout');

const PAYOUT_BATCH_EXAMPLE = {
  batchId: FINANCE_EXAMPLE.payoutBatchId,
  createdAt: EXAMPLE.at,
  executionDate: '2026-12-04',
  totalCents: 11000,
  payouts: [
    {
      providerId: FINANCE_EXAMPLE.otherProviderId,
      name: FINANCE_EXAMPLE.otherProviderName,
      iban: FINANCE_EXAMPLE.otherIban,
      amountCents: 6000,
      transferId: 'tr_01jdq4b2c4e6g8j0l2n4q6s8uw',
    },
    {
      providerId: FINANCE_EXAMPLE.providerId,
      name: FINANCE_EXAMPLE.providerName,
      iban: FINANCE_EXAMPLE.iban,
      amountCents: 5000,
      transferId: 'tr_01jdq4b2c4e6g8j0l2n4q6s8ux',
    },
  ],
};

export const PayoutBatchSchema = z
  .object({
    batchId: z.string(),
    createdAt: z.string().datetime(),
    executionDate: Day,
    totalCents: Cents.openapi({ description: 'The bank file’s CtrlSum, in cents' }),
    payouts: z.array(PayoutSchema),
  })
  .openapi('PayoutBatch', { example: PAYOUT_BATCH_EXAMPLE });

export const NewPayoutBatchSchema = PayoutBatchSchema.extend({
  unpaid: z
    .array(
      z.object({ providerId: z.string(), name: z.string(), owedCents: Cents, reason: z.literal('no-iban') }),
    )
    .openapi({ description: 'Providers that are owed but were not paid, and why' }),
}).openapi('NewPayoutBatch', { example: { ...PAYOUT_BATCH_EXAMPLE, unpaid: [] } });

export const PayoutBatchListSchema = z
  .object({
    batches: z.array(
      z.object({
        batchId: z.string(),
        createdAt: z.string().datetime(),
        executionDate: Day,
        totalCents: Cents,
        payments: z.number().int(),
      }),
    ),
  })
  .openapi('PayoutBatchList', {
    example: {
      batches: [
        {
          batchId: FINANCE_EXAMPLE.payoutBatchId,
          createdAt: EXAMPLE.at,
          executionDate: '2026-12-04',
          totalCents: 11000,
          payments: 2,
        },
      ],
    },
  });
