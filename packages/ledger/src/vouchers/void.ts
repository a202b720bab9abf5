import { newId } from '@wijkteams/db';
import { systemAccount, VOUCHER_LEDGER } from '../accounts.ts';
import { appendToChain } from '../chain.ts';
import { type CodeProblem, generateVoucherCode, parseVoucherCode } from '../codes.ts';
import { type Command, commit, type Idempotent, prepare, withRetries } from '../commands.ts';
import { type LedgerContext, LedgerInputError } from '../context.ts';
import { requestHash } from '../hash.ts';
import { checkIdempotencyKey } from '../validate.ts';
import {
  type IssuedVoucher,
  insertVoucher,
  readVoucher,
  type SettleRefusal,
  settleDecision,
  voucherRowOf,
} from './shared.ts';

/** A closed list, so that no free text (and nothing personal) ends up in the ledger. */
export const VOID_REASONS = ['lost', 'stolen', 'damaged', 'withdrawn'] as const;
export type VoidReason = (typeof VOID_REASONS)[number];

export interface VoidVoucherInput {
  code: string;
  reason: VoidReason;
  idempotencyKey: string;
  /** Defaults to the hash of the code and reason. */
  requestHash?: string;
}

export interface VoucherReplacement {
  accountId: string;
  reason: VoidReason;
  voided: { code: string; faceValueCents: number; status: 'voided'; transferId: string };
  /** The replacement is a batch of its own, printed on its own. */
  replacement: IssuedVoucher & { transferId: string; batchId: string };
}

export type VoidAnswer =
  | { status: 'ok'; body: VoucherReplacement }
  | { status: SettleRefusal; body: { code: string } };

export type VoidResult = Idempotent<VoidAnswer> | { status: 'invalid-code'; reason: CodeProblem };

/**
 * A lost or stolen voucher: its value goes from the holder to `voided`, and the holder gets a
 * replacement with the same face value and validity (a new issue transfer), in one write.
 */
export async function voidVoucher(ctx: LedgerContext, input: VoidVoucherInput): Promise<VoidResult> {
  checkIdempotencyKey(input.idempotencyKey);
  if (!VOID_REASONS.includes(input.reason)) {
    throw new LedgerInputError('reason', `must be one of ${VOID_REASONS.join(', ')}`);
  }
  const parsed = parseVoucherCode(input.code);
  if (!parsed.ok) return { status: 'invalid-code', reason: parsed.reason };
  const { code } = parsed;
  const command: Command = {
    operation: 'void-voucher',
    key: input.idempotencyKey,
    requestHash: input.requestHash ?? requestHash({ code, reason: input.reason }),
  };

  return withRetries(ctx, async () => {
    const plan = await prepare<VoidAnswer>(
      ctx,
      command,
      [systemAccount(VOUCHER_LEDGER, 'voided'), systemAccount(VOUCHER_LEDGER, 'issuance')],
      [readVoucher(code)],
    );
    if ('answered' in plan) return plan.answered;
    const [voidedId, issuanceId] = plan.accountIds as [string, string];
    const found = plan.reads[0]?.rows[0];
    const at = ctx.clock();
    const decision = settleDecision(code, at, found !== undefined);
    if (!found) return commit<VoidAnswer>(ctx, command, { ...decision, okBody: `'{}'`, transfers: [] }, at);
    const old = voucherRowOf(found);
    const replacement = { id: newId('vch'), code: generateVoucherCode(), batchId: newId('vb') };
    const transfers = appendToChain(plan.tail, at, [
      {
        id: newId('tr'),
        debitAccountId: old.holderAccountId,
        creditAccountId: voidedId,
        amountCents: old.faceValueCents,
        code: 'void',
        reference: code,
        externalReference: null,
        idempotencyKey: command.key,
        leg: 0,
      },
      {
        id: newId('tr'),
        debitAccountId: issuanceId,
        creditAccountId: old.holderAccountId,
        amountCents: old.faceValueCents,
        code: 'issue',
        reference: replacement.code,
        externalReference: null,
        idempotencyKey: command.key,
        leg: 1,
      },
    ]);
    const [voiding, issuing] = transfers as [(typeof transfers)[number], (typeof transfers)[number]];
    const body: VoucherReplacement = {
      accountId: old.holderAccountId,
      reason: input.reason,
      voided: { code, faceValueCents: old.faceValueCents, status: 'voided', transferId: voiding.id },
      replacement: {
        code: replacement.code,
        faceValueCents: old.faceValueCents,
        validUntil: old.validUntil,
        status: 'issued',
        transferId: issuing.id,
        batchId: replacement.batchId,
      },
    };
    return commit<VoidAnswer>(
      ctx,
      command,
      {
        ...decision,
        okBody: ':ok_body',
        args: { ...decision.args, ok_body: JSON.stringify(body) },
        rows: (guard) => [
          insertVoucher(
            {
              ...replacement,
              holderAccountId: old.holderAccountId,
              faceValueCents: old.faceValueCents,
              validUntil: old.validUntil,
              issuedAt: issuing.createdAt,
              issueTransferId: issuing.id,
              replacesVoucherId: old.id,
              replaceReason: input.reason,
            },
            guard,
          ),
        ],
        transfers,
      },
      at,
    );
  });
}
