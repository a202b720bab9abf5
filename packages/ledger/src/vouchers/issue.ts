import { newId } from '@wijkteams/db';
import { holderAccount, systemAccount, VOUCHER_LEDGER } from '../accounts.ts';
import { appendToChain } from '../chain.ts';
import { generateVoucherCode } from '../codes.ts';
import { type Command, commit, type Idempotent, prepare, withRetries } from '../commands.ts';
import { type LedgerContext, LedgerInputError, voucherPolicy } from '../context.ts';
import { requestHash } from '../hash.ts';
import { addMonths } from '../time.ts';
import { checkCents, checkCount, checkDate, checkIdempotencyKey, checkReference } from '../validate.ts';
import { type IssuedVoucher, insertVoucher } from './shared.ts';

export interface IssueVoucherBatchInput {
  /** The resident's opaque reference, never a name. */
  holder: string;
  /** 1 to 100. */
  count: number;
  /** Defaults to the tenant's policy (500: one hour). */
  faceValueCents?: number;
  /** Defaults to the tenant's validity (12 months) after issue. */
  validUntil?: Date;
  idempotencyKey: string;
  /** Defaults to the hash of the fields above. */
  requestHash?: string;
}

export interface VoucherBatch {
  /** What is printed together: `GET /voucher-batches/{batchId}`. */
  batchId: string;
  /** The holder's voucher account. */
  accountId: string;
  vouchers: IssuedVoucher[];
}

export type IssueAnswer = { status: 'ok'; body: VoucherBatch };

/**
 * Credits the holder's voucher account from issuance with one transfer per voucher (reference: the
 * voucher's code), in one write.
 */
export async function issueVoucherBatch(
  ctx: LedgerContext,
  input: IssueVoucherBatchInput,
): Promise<Idempotent<IssueAnswer>> {
  const policy = voucherPolicy(ctx);
  const faceValueCents = input.faceValueCents ?? policy.faceValueCents;
  checkReference('holder', input.holder);
  checkCount(input.count);
  checkCents('faceValueCents', faceValueCents);
  checkIdempotencyKey(input.idempotencyKey);
  if (input.validUntil !== undefined) {
    checkDate('validUntil', input.validUntil);
    if (input.validUntil <= ctx.clock()) throw new LedgerInputError('validUntil', 'must be in the future');
  }
  const command: Command = {
    operation: 'issue-vouchers',
    key: input.idempotencyKey,
    requestHash:
      input.requestHash ??
      requestHash({
        holder: input.holder,
        count: input.count,
        faceValueCents: input.faceValueCents ?? null,
        validUntil: input.validUntil?.toISOString() ?? null,
      }),
  };

  return withRetries(ctx, async () => {
    const plan = await prepare<IssueAnswer>(ctx, command, [
      systemAccount(VOUCHER_LEDGER, 'issuance'),
      holderAccount(VOUCHER_LEDGER, input.holder),
    ]);
    if ('answered' in plan) return plan.answered;
    const [issuanceId, holderId] = plan.accountIds as [string, string];
    const at = ctx.clock();
    const validUntil = (input.validUntil ?? addMonths(at, policy.validityMonths)).toISOString();
    const vouchers = Array.from({ length: input.count }, () => ({
      id: newId('vch'),
      code: generateVoucherCode(),
      transferId: newId('tr'),
    }));
    const transfers = appendToChain(
      plan.tail,
      at,
      vouchers.map((v, leg) => ({
        id: v.transferId,
        debitAccountId: issuanceId,
        creditAccountId: holderId,
        amountCents: faceValueCents,
        code: 'issue' as const,
        reference: v.code,
        externalReference: null,
        idempotencyKey: command.key,
        leg,
      })),
    );
    const issuedAt = transfers[0]?.createdAt ?? at.toISOString();
    const batchId = newId('vb');
    const body: VoucherBatch = {
      batchId,
      accountId: holderId,
      vouchers: vouchers.map((v) => ({ code: v.code, faceValueCents, validUntil, status: 'issued' })),
    };
    return commit<IssueAnswer>(
      ctx,
      command,
      {
        outcome: `'ok'`,
        okBody: ':ok_body',
        refusalBody: `'{}'`,
        args: { ok_body: JSON.stringify(body) },
        rows: (guard) =>
          vouchers.map((v) =>
            insertVoucher(
              {
                id: v.id,
                code: v.code,
                holderAccountId: holderId,
                faceValueCents,
                validUntil,
                issuedAt,
                issueTransferId: v.transferId,
                replacesVoucherId: null,
                replaceReason: null,
                batchId,
              },
              guard,
            ),
          ),
        transfers,
      },
      at,
    );
  });
}
