import type { InStatement } from '@libsql/client';
import { newId } from '@wijkteams/db';
import { isDay } from '@wijkteams/time';
import { systemAccount, VOUCHER_LEDGER } from './accounts.ts';
import { appendToChain } from './chain.ts';
import { type Command, commit, type Idempotent, prepare, withRetries } from './commands.ts';
import { type LedgerContext, LedgerInputError } from './context.ts';
import { requestHash } from './hash.ts';
import { int, text } from './rows.ts';
import { checkIdempotencyKey, checkReference } from './validate.ts';

/** A provider that may be paid: who it is, and where the money goes (the IBAN stays encrypted here). */
export interface Payee {
  providerId: string;
  /** The creditor's name as the bank file carries it. */
  name: string;
  /** The IBAN as the tenant's key encrypted it; the ledger stores it, never reads it. */
  ibanCt: string;
}

export interface PayoutBatchInput {
  payees: Payee[];
  /** The day the bank is asked to pay, `YYYY-MM-DD`. */
  executionDate: string;
  idempotencyKey: string;
  /** Defaults to the hash of the providers and the date. */
  requestHash?: string;
}

export interface Payout {
  providerId: string;
  name: string;
  amountCents: number;
  transferId: string;
}

export interface PayoutBatch {
  batchId: string;
  createdAt: string;
  executionDate: string;
  totalCents: number;
  payouts: Payout[];
}

export type PayoutAnswer = { status: 'ok'; body: PayoutBatch };
/** `nothing-owed`: none of the payees is owed anything (nothing is stored under the key). */
export type PayoutResult = Idempotent<PayoutAnswer> | { status: 'nothing-owed' };

export const MAX_PAYEES = 500;

const readProviderBalances = (providerIds: string[]): InStatement => ({
  sql: `SELECT id, reference, balance_cents FROM ledger_accounts
        WHERE ledger = '${VOUCHER_LEDGER}' AND kind = 'provider' AND balance_cents > 0
          AND reference IN (${providerIds.map(() => '?').join(', ')})`,
  args: providerIds,
});

/**
 * Pays every payee what it is owed: one `payout` transfer per provider with a balance, moving its
 * whole balance to the payout account, and the batch with each provider's name and IBAN as paid,
 * all in one write. The balances are read with the chain's tail, so a redemption or reversal that
 * lands first moves the tail and the batch is planned again: a payout never pays a stale amount
 * (the database also refuses a payout that is not the whole balance). Once per idempotency key.
 */
export async function payOut(ctx: LedgerContext, input: PayoutBatchInput): Promise<PayoutResult> {
  checkIdempotencyKey(input.idempotencyKey);
  if (!isDay(input.executionDate)) throw new LedgerInputError('executionDate', 'must be a day, YYYY-MM-DD');
  if (input.payees.length === 0 || input.payees.length > MAX_PAYEES) {
    throw new LedgerInputError('payees', `must list 1 to ${MAX_PAYEES} providers`);
  }
  for (const payee of input.payees) checkReference('providerId', payee.providerId);
  const payees = new Map(input.payees.map((p) => [p.providerId, p]));
  if (payees.size !== input.payees.length)
    throw new LedgerInputError('payees', 'must list each provider once');
  const command: Command = {
    operation: 'pay-out',
    key: input.idempotencyKey,
    requestHash:
      input.requestHash ??
      requestHash({ providers: [...payees.keys()].sort(), executionDate: input.executionDate }),
  };

  return withRetries(ctx, async () => {
    const plan = await prepare<PayoutAnswer>(
      ctx,
      command,
      [systemAccount(VOUCHER_LEDGER, 'payout')],
      [readProviderBalances([...payees.keys()])],
    );
    if ('answered' in plan) return plan.answered;
    const [payoutAccountId] = plan.accountIds as [string];
    const owed = (plan.reads[0]?.rows ?? [])
      .map((row) => ({
        accountId: text(row, 'id'),
        payee: payees.get(text(row, 'reference')) as Payee,
        amountCents: int(row, 'balance_cents'),
      }))
      .sort((a, b) => a.payee.providerId.localeCompare(b.payee.providerId));
    if (owed.length === 0) return { status: 'nothing-owed' as const };
    const at = ctx.clock();
    const batchId = newId('pay');
    const transfers = appendToChain(
      plan.tail,
      at,
      owed.map((o, leg) => ({
        id: newId('tr'),
        debitAccountId: o.accountId,
        creditAccountId: payoutAccountId,
        amountCents: o.amountCents,
        code: 'payout' as const,
        reference: batchId,
        externalReference: null,
        idempotencyKey: command.key,
        leg,
      })),
    );
    const createdAt = transfers[0]?.createdAt ?? at.toISOString();
    const payouts = owed.map((o, i) => ({
      providerId: o.payee.providerId,
      name: o.payee.name,
      amountCents: o.amountCents,
      transferId: transfers[i]?.id as string,
    }));
    const body: PayoutBatch = {
      batchId,
      createdAt,
      executionDate: input.executionDate,
      totalCents: owed.reduce((sum, o) => sum + o.amountCents, 0),
      payouts,
    };
    return commit<PayoutAnswer>(
      ctx,
      command,
      {
        outcome: `'ok'`,
        okBody: ':ok_body',
        refusalBody: `'{}'`,
        args: { ok_body: JSON.stringify(body) },
        rows: (guard) => [
          {
            sql: `INSERT INTO ledger_payout_batches (id, created_at, execution_date, total_cents, payments)
                  SELECT :b_id, :b_at, :b_date, :b_total, :b_payments WHERE ${guard.sql}`,
            args: {
              b_id: batchId,
              b_at: createdAt,
              b_date: input.executionDate,
              b_total: BigInt(body.totalCents),
              b_payments: BigInt(payouts.length),
              ...guard.args,
            },
          },
          ...owed.map((o, i) => ({
            sql: `INSERT INTO ledger_payouts (transfer_id, batch_id, provider_id, name, iban_ct, amount_cents)
                  SELECT :p_transfer, :p_batch, :p_provider, :p_name, :p_iban, :p_amount WHERE ${guard.sql}`,
            args: {
              p_transfer: payouts[i]?.transferId as string,
              p_batch: batchId,
              p_provider: o.payee.providerId,
              p_name: o.payee.name,
              p_iban: o.payee.ibanCt,
              p_amount: BigInt(o.amountCents),
              ...guard.args,
            },
          })),
        ],
        transfers,
      },
      at,
    );
  });
}

/** Every provider that is owed something now (its voucher balance), by provider id. */
export async function owedProviders(
  ctx: LedgerContext,
): Promise<{ providerId: string; owedCents: number }[]> {
  const { rows } = await ctx.db.execute(
    `SELECT reference, balance_cents FROM ledger_accounts
     WHERE ledger = '${VOUCHER_LEDGER}' AND kind = 'provider' AND balance_cents > 0 ORDER BY reference`,
  );
  return rows.map((row) => ({ providerId: text(row, 'reference'), owedCents: int(row, 'balance_cents') }));
}

/** A payout as stored, with the encrypted IBAN it was paid to. */
export interface StoredPayout extends Payout {
  ibanCt: string;
}

export interface StoredPayoutBatch extends Omit<PayoutBatch, 'payouts'> {
  payouts: StoredPayout[];
}

/** One payout batch with its payouts, or null. */
export async function payoutBatch(ctx: LedgerContext, batchId: string): Promise<StoredPayoutBatch | null> {
  const [batch, items] = await ctx.db.batch(
    [
      { sql: 'SELECT * FROM ledger_payout_batches WHERE id = ?', args: [batchId] },
      { sql: 'SELECT * FROM ledger_payouts WHERE batch_id = ? ORDER BY provider_id', args: [batchId] },
    ],
    'read',
  );
  const row = batch?.rows[0];
  if (!row) return null;
  return {
    batchId,
    createdAt: text(row, 'created_at'),
    executionDate: text(row, 'execution_date'),
    totalCents: int(row, 'total_cents'),
    payouts: (items?.rows ?? []).map((p) => ({
      providerId: text(p, 'provider_id'),
      name: text(p, 'name'),
      amountCents: int(p, 'amount_cents'),
      transferId: text(p, 'transfer_id'),
      ibanCt: text(p, 'iban_ct'),
    })),
  };
}

export interface PayoutBatchSummary {
  batchId: string;
  createdAt: string;
  executionDate: string;
  totalCents: number;
  payments: number;
}

/** The most recent payout batches first. */
export async function payoutBatches(ctx: LedgerContext, limit = 100): Promise<PayoutBatchSummary[]> {
  const { rows } = await ctx.db.execute({
    sql: 'SELECT * FROM ledger_payout_batches ORDER BY created_at DESC, id DESC LIMIT ?',
    args: [BigInt(limit)],
  });
  return rows.map((row) => ({
    batchId: text(row, 'id'),
    createdAt: text(row, 'created_at'),
    executionDate: text(row, 'execution_date'),
    totalCents: int(row, 'total_cents'),
    payments: int(row, 'payments'),
  }));
}
