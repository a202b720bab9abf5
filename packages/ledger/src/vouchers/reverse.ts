import { newId } from '@wijkteams/db';
import { appendToChain } from '../chain.ts';
import { type Command, commit, type Idempotent, prepare, withRetries } from '../commands.ts';
import { type LedgerContext, LedgerInputError } from '../context.ts';
import { requestHash } from '../hash.ts';
import { int, text } from '../rows.ts';
import { checkIdempotencyKey } from '../validate.ts';

export interface ReverseRedemptionInput {
  /** The redemption's transfer (`transferId` of its receipt). */
  transferId: string;
  /** Why, for the audit trail: one line, no personal data. */
  reason: string;
  idempotencyKey: string;
  /** Defaults to the hash of the fields above. */
  requestHash?: string;
}

export interface Reversal {
  /** The `reverse` transfer. */
  transferId: string;
  redemptionTransferId: string;
  code: string;
  amountCents: number;
  /** Credited: the holder has the value back. */
  holderAccountId: string;
  /** Debited: the provider is owed that much less. */
  providerAccountId: string;
  reason: string;
  reversedAt: string;
  /** The voucher just after: `issued` and redeemable again, or `expired` if it is past its date. */
  voucher: { code: string; status: 'issued' | 'expired'; validUntil: string };
}

/** `already-reversed`: the voucher is no longer redeemed by this transfer. `paid-out`: the provider was paid for it. */
export type ReverseRefusal = 'already-reversed' | 'paid-out';

export type ReverseAnswer =
  | { status: 'ok'; body: Reversal }
  | { status: ReverseRefusal; body: { transferId: string; payoutBatchId: string | null } };

/** `not-found`: no redemption has this transfer id (nothing is stored under the key). */
export type ReverseResult = Idempotent<ReverseAnswer> | { status: 'not-found' };

export const MAX_REVERSAL_REASON = 300;

const readRedemption = (transferId: string) => ({
  sql: `SELECT r.id, r.sequence, r.reference, r.debit_account_id, r.credit_account_id, r.amount_cents,
          v.valid_until
        FROM ledger_transfers AS r JOIN ledger_vouchers AS v ON v.code = r.reference
        WHERE r.id = ? AND r.code = 'redeem'`,
  args: [transferId],
});

/**
 * Decided inside the write: the voucher must still be settled by this redemption (not reversed
 * since, nor redeemed again after a reversal), and no payout may have emptied the provider's account
 * after it. The database's `ledger_transfers_reverse` trigger holds the same rule for any writer.
 */
const REVERSE_OUTCOME = `(SELECT CASE
    WHEN v.settle_transfer_id IS NOT :redemption THEN 'already-reversed'
    WHEN EXISTS (SELECT 1 FROM ledger_transfers AS p WHERE p.code = 'payout'
                 AND p.debit_account_id = :provider AND p.sequence > :redemption_sequence) THEN 'paid-out'
    ELSE 'ok' END
  FROM ledger_vouchers AS v WHERE v.code = :code)`;

/** The payout that paid for the redemption, so that a refusal can name it. */
const REVERSE_REFUSAL = `json_object('transferId', :redemption, 'payoutBatchId',
  (SELECT o.batch_id FROM ledger_transfers AS p JOIN ledger_payouts AS o ON o.transfer_id = p.id
   WHERE p.code = 'payout' AND p.debit_account_id = :provider AND p.sequence > :redemption_sequence
   ORDER BY p.sequence LIMIT 1))`;

/**
 * Undoes a mistaken redemption with a new transfer back from the provider to the holder (the
 * redemption itself is never changed): the voucher is `issued` again and can be redeemed. The reason
 * is kept beside the transfer (`ledger_reversals`), written in the same batch.
 */
export async function reverseRedemption(
  ctx: LedgerContext,
  input: ReverseRedemptionInput,
): Promise<ReverseResult> {
  checkIdempotencyKey(input.idempotencyKey);
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > MAX_REVERSAL_REASON) {
    throw new LedgerInputError('reason', `must be 1 to ${MAX_REVERSAL_REASON} characters`);
  }
  const command: Command = {
    operation: 'reverse-redemption',
    key: input.idempotencyKey,
    requestHash: input.requestHash ?? requestHash({ transferId: input.transferId, reason }),
  };

  return withRetries(ctx, async () => {
    const plan = await prepare<ReverseAnswer>(ctx, command, [], [readRedemption(input.transferId)]);
    if ('answered' in plan) return plan.answered;
    const found = plan.reads[0]?.rows[0];
    if (!found) return { status: 'not-found' as const };
    const code = text(found, 'reference');
    const holderAccountId = text(found, 'debit_account_id');
    const providerAccountId = text(found, 'credit_account_id');
    const amountCents = int(found, 'amount_cents');
    const at = ctx.clock();
    const transfers = appendToChain(plan.tail, at, [
      {
        id: newId('tr'),
        debitAccountId: providerAccountId,
        creditAccountId: holderAccountId,
        amountCents,
        code: 'reverse',
        reference: code,
        externalReference: null,
        idempotencyKey: command.key,
        leg: 0,
      },
    ]);
    const [transfer] = transfers as [(typeof transfers)[number]];
    const body: Reversal = {
      transferId: transfer.id,
      redemptionTransferId: input.transferId,
      code,
      amountCents,
      holderAccountId,
      providerAccountId,
      reason,
      reversedAt: transfer.createdAt,
      voucher: {
        code,
        status: text(found, 'valid_until') <= transfer.createdAt ? 'expired' : 'issued',
        validUntil: text(found, 'valid_until'),
      },
    };
    return commit<ReverseAnswer>(
      ctx,
      command,
      {
        outcome: REVERSE_OUTCOME,
        okBody: ':ok_body',
        refusalBody: REVERSE_REFUSAL,
        args: {
          code,
          redemption: input.transferId,
          provider: providerAccountId,
          redemption_sequence: BigInt(int(found, 'sequence')),
          ok_body: JSON.stringify(body),
        },
        rows: (guard) => [
          {
            sql: `INSERT INTO ledger_reversals (transfer_id, redemption_transfer_id, voucher_code, reason, created_at)
                  SELECT :r_transfer, :r_redemption, :r_code, :r_reason, :r_at WHERE ${guard.sql}`,
            args: {
              r_transfer: transfer.id,
              r_redemption: input.transferId,
              r_code: code,
              r_reason: reason,
              r_at: transfer.createdAt,
              ...guard.args,
            },
          },
        ],
        transfers,
      },
      at,
    );
  });
}
