import { newId } from '@wijkteams/db';
import { providerAccount, VOUCHER_LEDGER } from '../accounts.ts';
import { appendToChain, type Transfer, type TransferDraft } from '../chain.ts';
import { type CodeProblem, parseVoucherCode } from '../codes.ts';
import { type Command, commit, type Idempotent, prepare, withRetries } from '../commands.ts';
import type { LedgerContext } from '../context.ts';
import { requestHash } from '../hash.ts';
import { checkExternalReference, checkIdempotencyKey, checkReference } from '../validate.ts';
import { readVoucher, type SettleRefusal, settleDecision, voucherRowOf } from './shared.ts';

export interface RedeemVoucherInput {
  /** As typed: parsed with its check character before anything is looked up. */
  code: string;
  /** The provider's opaque reference. */
  provider: string;
  /** The provider's own reference for this service, e.g. an invoice number. */
  requestReference?: string;
  idempotencyKey: string;
  /** Hash of the request as the edge received it; defaults to the hash of the fields above. */
  requestHash?: string;
}

export interface Redemption {
  code: string;
  faceValueCents: number;
  holderAccountId: string;
  providerAccountId: string;
  transferId: string;
  requestReference: string | null;
  redeemedAt: string;
}

export type RedeemRefusal = SettleRefusal;

export type RedeemAnswer =
  | { status: 'ok'; body: Redemption }
  | { status: RedeemRefusal; body: { code: string } };

/** `invalid-code` (the check character failed) is a bad request: it is not stored under the key. */
export type RedeemResult = Idempotent<RedeemAnswer> | { status: 'invalid-code'; reason: CodeProblem };

/** Moves a voucher's face value from its holder to the provider, exactly once per voucher. */
export async function redeemVoucher(ctx: LedgerContext, input: RedeemVoucherInput): Promise<RedeemResult> {
  checkReference('provider', input.provider);
  checkExternalReference('requestReference', input.requestReference);
  checkIdempotencyKey(input.idempotencyKey);
  const parsed = parseVoucherCode(input.code);
  if (!parsed.ok) return { status: 'invalid-code', reason: parsed.reason };
  const { code } = parsed;
  const requestReference = input.requestReference ?? null;
  const command: Command = {
    operation: 'redeem-voucher',
    key: input.idempotencyKey,
    requestHash: input.requestHash ?? requestHash({ code, provider: input.provider, requestReference }),
  };
  const request: RedeemRequest = { command, code, provider: input.provider, requestReference };
  return ctx.groupCommit ? ctx.groupCommit.redeem(ctx, request) : redeemAlone(ctx, request);
}

/** A validated redemption: what the plan and the write need. */
export interface RedeemRequest {
  command: Command;
  code: string;
  provider: string;
  requestReference: string | null;
}

/** One redemption in its own read and write, retried until its write lands. */
export function redeemAlone(ctx: LedgerContext, request: RedeemRequest): Promise<Idempotent<RedeemAnswer>> {
  const { command, code } = request;
  return withRetries(ctx, async () => {
    const plan = await prepare<RedeemAnswer>(
      ctx,
      command,
      [providerAccount(VOUCHER_LEDGER, request.provider)],
      [readVoucher(code)],
    );
    if ('answered' in plan) return plan.answered;
    const [providerId] = plan.accountIds as [string];
    const found = plan.reads[0]?.rows[0];
    const at = ctx.clock();
    const decision = settleDecision(code, at, found !== undefined);
    if (!found) return commit<RedeemAnswer>(ctx, command, { ...decision, okBody: `'{}'`, transfers: [] }, at);
    const voucher = voucherRowOf(found);
    const transfers = appendToChain(plan.tail, at, [
      redeemDraft(request, voucher.holderAccountId, providerId, voucher.faceValueCents),
    ]);
    const [transfer] = transfers as [(typeof transfers)[number]];
    const body = redemptionOf(request, voucher.faceValueCents, voucher.holderAccountId, providerId, transfer);
    return commit<RedeemAnswer>(
      ctx,
      command,
      {
        ...decision,
        okBody: ':ok_body',
        args: { ...decision.args, ok_body: JSON.stringify(body) },
        transfers,
      },
      at,
    );
  });
}

export function redeemDraft(
  request: RedeemRequest,
  holderAccountId: string,
  providerAccountId: string,
  faceValueCents: number,
): TransferDraft {
  return {
    id: newId('tr'),
    debitAccountId: holderAccountId,
    creditAccountId: providerAccountId,
    amountCents: faceValueCents,
    code: 'redeem',
    reference: request.code,
    externalReference: request.requestReference,
    idempotencyKey: request.command.key,
    leg: 0,
  };
}

export function redemptionOf(
  request: RedeemRequest,
  faceValueCents: number,
  holderAccountId: string,
  providerAccountId: string,
  transfer: Transfer,
): Redemption {
  return {
    code: request.code,
    faceValueCents,
    holderAccountId,
    providerAccountId,
    transferId: transfer.id,
    requestReference: request.requestReference,
    redeemedAt: transfer.createdAt,
  };
}
