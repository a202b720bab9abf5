import { newId } from '@wijkteams/db';
import { budgetLedger, holderAccount, providerAccount, systemAccount } from './accounts.ts';
import { appendToChain } from './chain.ts';
import { type Command, commit, type Idempotent, prepare, withRetries } from './commands.ts';
import type { LedgerContext } from './context.ts';
import { requestHash } from './hash.ts';
import { budgetYearOf } from './time.ts';
import {
  checkCents,
  checkExternalReference,
  checkIdempotencyKey,
  checkReference,
  checkYear,
} from './validate.ts';

/**
 * City-pass budgets (AlkmaarPas): each year is its own ledger (`budget:2026`), so a holder's budget
 * account for one year never mixes with another year's or with their vouchers.
 */

export interface GrantBudgetInput {
  holder: string;
  year: number;
  amountCents: number;
  idempotencyKey: string;
  /** Defaults to the hash of the fields above. */
  requestHash?: string;
}

export interface BudgetGrant {
  accountId: string;
  year: number;
  amountCents: number;
  transferId: string;
  grantedAt: string;
}

export type GrantAnswer = { status: 'ok'; body: BudgetGrant };

/** Credits a holder's budget for `year` from that year's issuance account. */
export async function grantBudget(
  ctx: LedgerContext,
  input: GrantBudgetInput,
): Promise<Idempotent<GrantAnswer>> {
  checkReference('holder', input.holder);
  checkYear(input.year);
  checkCents('amountCents', input.amountCents);
  checkIdempotencyKey(input.idempotencyKey);
  const ledger = budgetLedger(input.year);
  const command: Command = {
    operation: 'grant-budget',
    key: input.idempotencyKey,
    requestHash:
      input.requestHash ??
      requestHash({ holder: input.holder, year: input.year, amountCents: input.amountCents }),
  };

  return withRetries(ctx, async () => {
    const plan = await prepare<GrantAnswer>(ctx, command, [
      systemAccount(ledger, 'issuance'),
      holderAccount(ledger, input.holder),
    ]);
    if ('answered' in plan) return plan.answered;
    const [issuanceId, holderId] = plan.accountIds as [string, string];
    const at = ctx.clock();
    const [transfer] = appendToChain(plan.tail, at, [
      {
        id: newId('tr'),
        debitAccountId: issuanceId,
        creditAccountId: holderId,
        amountCents: input.amountCents,
        code: 'budget',
        reference: ledger,
        externalReference: null,
        idempotencyKey: command.key,
        leg: 0,
      },
    ]) as [ReturnType<typeof appendToChain>[number]];
    const body: BudgetGrant = {
      accountId: holderId,
      year: input.year,
      amountCents: input.amountCents,
      transferId: transfer.id,
      grantedAt: transfer.createdAt,
    };
    return commit<GrantAnswer>(
      ctx,
      command,
      {
        outcome: `'ok'`,
        okBody: ':ok_body',
        refusalBody: `'{}'`,
        args: { ok_body: JSON.stringify(body) },
        transfers: [transfer],
      },
      at,
    );
  });
}

export interface SpendBudgetInput {
  holder: string;
  provider: string;
  amountCents: number;
  idempotencyKey: string;
  /** Hash of the request as the edge received it; defaults to the hash of the fields. */
  requestHash?: string;
  /** Defaults to the current year in the Netherlands. */
  year?: number;
  requestReference?: string;
}

export interface BudgetSpend {
  accountId: string;
  providerAccountId: string;
  year: number;
  amountCents: number;
  balanceAfterCents: number;
  transferId: string;
  requestReference: string | null;
  spentAt: string;
}

export type SpendAnswer =
  | { status: 'ok'; body: BudgetSpend }
  | {
      status: 'insufficient-funds';
      body: { accountId: string; amountCents: number; availableCents: number };
    };

/** Pays a provider part of a holder's budget; never below zero, checked inside the write. */
export async function spendBudget(
  ctx: LedgerContext,
  input: SpendBudgetInput,
): Promise<Idempotent<SpendAnswer>> {
  checkReference('holder', input.holder);
  checkReference('provider', input.provider);
  checkCents('amountCents', input.amountCents);
  checkIdempotencyKey(input.idempotencyKey);
  checkExternalReference('requestReference', input.requestReference);
  const year = input.year ?? budgetYearOf(ctx.clock());
  checkYear(year);
  const ledger = budgetLedger(year);
  const requestReference = input.requestReference ?? null;
  const command: Command = {
    operation: 'spend-budget',
    key: input.idempotencyKey,
    requestHash:
      input.requestHash ??
      requestHash({
        holder: input.holder,
        provider: input.provider,
        amountCents: input.amountCents,
        year,
        requestReference,
      }),
  };

  return withRetries(ctx, async () => {
    const plan = await prepare<SpendAnswer>(ctx, command, [
      holderAccount(ledger, input.holder),
      providerAccount(ledger, input.provider),
    ]);
    if ('answered' in plan) return plan.answered;
    const [holderId, providerId] = plan.accountIds as [string, string];
    const at = ctx.clock();
    const [transfer] = appendToChain(plan.tail, at, [
      {
        id: newId('tr'),
        debitAccountId: holderId,
        creditAccountId: providerId,
        amountCents: input.amountCents,
        code: 'spend',
        reference: ledger,
        externalReference: requestReference,
        idempotencyKey: command.key,
        leg: 0,
      },
    ]) as [ReturnType<typeof appendToChain>[number]];
    const body: Omit<BudgetSpend, 'balanceAfterCents'> = {
      accountId: holderId,
      providerAccountId: providerId,
      year,
      amountCents: input.amountCents,
      transferId: transfer.id,
      requestReference,
      spentAt: transfer.createdAt,
    };
    const balance = '(SELECT balance_cents FROM ledger_accounts WHERE id = :holder)';
    return commit<SpendAnswer>(
      ctx,
      command,
      {
        outcome: `CASE WHEN ${balance} >= :amount THEN 'ok' ELSE 'insufficient-funds' END`,
        okBody: `json_set(:ok_body, '$.balanceAfterCents', ${balance} - :amount)`,
        refusalBody: `json_object('accountId', :holder, 'amountCents', :amount, 'availableCents', ${balance})`,
        args: { holder: holderId, amount: BigInt(input.amountCents), ok_body: JSON.stringify(body) },
        transfers: [transfer],
      },
      at,
    );
  });
}
