import type { InStatement } from '@libsql/client';
import { type LedgerAccountKind, newId, type TransferCode } from '@wijkteams/db';
import type { LedgerContext } from './context.ts';
import { LedgerInputError } from './context.ts';
import { aggregateRow, int, text, textOrNull } from './rows.ts';
import { checkDate } from './validate.ts';

/** Value moves only between accounts of one ledger: the vouchers, or one year's budgets. */
export const VOUCHER_LEDGER = 'vouchers';
export const budgetLedger = (year: number) => `budget:${year}`;
/** The reference of the tenant's own accounts (issuance, expired, voided). */
export const SYSTEM_REFERENCE = 'system';

export interface AccountIdentity {
  ledger: string;
  kind: LedgerAccountKind;
  reference: string;
}

export const systemAccount = (ledger: string, kind: LedgerAccountKind): AccountIdentity => ({
  ledger,
  kind,
  reference: SYSTEM_REFERENCE,
});
export const holderAccount = (ledger: string, holder: string): AccountIdentity => ({
  ledger,
  kind: 'holder',
  reference: holder,
});
export const providerAccount = (ledger: string, provider: string): AccountIdentity => ({
  ledger,
  kind: 'provider',
  reference: provider,
});

/** Only a source of value may go negative; every other account is floored at 0 by a CHECK. */
const MAY_GO_NEGATIVE: readonly LedgerAccountKind[] = ['issuance'];

export function findAccount(identity: AccountIdentity): InStatement {
  return {
    sql: 'SELECT id FROM ledger_accounts WHERE ledger = ? AND kind = ? AND reference = ?',
    args: [identity.ledger, identity.kind, identity.reference],
  };
}

/**
 * Opens the accounts that were not found and returns every id. Opening an empty account moves no
 * value, so it may run ahead of the write that uses it; concurrent openers agree through the unique
 * identity (the loser's insert does nothing and it reads the winner's id).
 */
export async function openAccounts(
  ctx: LedgerContext,
  identities: AccountIdentity[],
  found: (string | undefined)[],
): Promise<string[]> {
  const missing = identities.filter((_, i) => found[i] === undefined);
  if (missing.length === 0) return found as string[];
  const results = await ctx.db.batch(
    missing.flatMap((identity) => [
      {
        sql: `INSERT INTO ledger_accounts (id, ledger, kind, reference, debits_must_not_exceed_credits)
              VALUES (?, ?, ?, ?, ?) ON CONFLICT (ledger, kind, reference) DO NOTHING`,
        args: [
          newId('acc'),
          identity.ledger,
          identity.kind,
          identity.reference,
          MAY_GO_NEGATIVE.includes(identity.kind) ? 0 : 1,
        ],
      },
      findAccount(identity),
    ]),
    'write',
  );
  const opened = missing.map((_, i) => {
    const row = results[i * 2 + 1]?.rows[0];
    if (!row) throw new Error('Opening an account returned no id');
    return text(row, 'id');
  });
  let next = 0;
  return found.map((id) => id ?? (opened[next++] as string));
}

/** The id of an account, if it has been opened. */
export async function findAccountId(ctx: LedgerContext, identity: AccountIdentity): Promise<string | null> {
  const row = (await ctx.db.execute(findAccount(identity))).rows[0];
  return row ? text(row, 'id') : null;
}

export interface AccountBalance {
  accountId: string;
  ledger: string;
  kind: LedgerAccountKind;
  reference: string;
  balanceCents: number;
  /** Null for the current balance; otherwise the moment it was computed for. */
  asOf: string | null;
}

/**
 * The current (cached) balance, or with `asOf` the balance recomputed from every transfer dated up
 * to and including that moment. Null for an unknown account.
 */
export async function accountBalance(
  ctx: LedgerContext,
  accountId: string,
  asOf?: Date,
): Promise<AccountBalance | null> {
  if (asOf !== undefined) checkDate('asOf', asOf);
  const at = asOf?.toISOString() ?? null;
  const [account, sum] = await ctx.db.batch(
    [
      { sql: 'SELECT * FROM ledger_accounts WHERE id = ?', args: [accountId] },
      {
        sql: `SELECT COALESCE(SUM(CASE WHEN credit_account_id = :id THEN amount_cents ELSE -amount_cents END), 0)
                AS balance
              FROM ledger_transfers
              WHERE (debit_account_id = :id OR credit_account_id = :id) AND created_at <= :at`,
        args: { id: accountId, at },
      },
    ],
    'read',
  );
  const row = account?.rows[0];
  if (!row) return null;
  const balanceCents = at === null ? int(row, 'balance_cents') : int(aggregateRow(sum), 'balance');
  return {
    accountId,
    ledger: text(row, 'ledger'),
    kind: text(row, 'kind') as LedgerAccountKind,
    reference: text(row, 'reference'),
    balanceCents,
    asOf: at,
  };
}

export interface StatementEntry {
  transferId: string;
  sequence: number;
  createdAt: string;
  code: TransferCode;
  reference: string;
  externalReference: string | null;
  /** Positive when the account was credited, negative when debited. */
  amountCents: number;
  counterpartyAccountId: string;
  balanceAfterCents: number;
}

export interface AccountStatement {
  accountId: string;
  entries: StatementEntry[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export const MAX_STATEMENT_PAGE = 500;

/** The account's transfers, oldest first, with the running balance; paged by an opaque cursor. */
export async function accountStatement(
  ctx: LedgerContext,
  accountId: string,
  page: { cursor?: string | null; limit: number },
): Promise<AccountStatement | null> {
  const { limit } = page;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_STATEMENT_PAGE) {
    throw new LedgerInputError('limit', `must be a whole number from 1 to ${MAX_STATEMENT_PAGE}`);
  }
  if (page.cursor && !/^\d{1,15}$/.test(page.cursor)) throw new LedgerInputError('cursor', 'is not a cursor');
  const after = page.cursor ? Number(page.cursor) : 0;
  const mine = '(debit_account_id = :id OR credit_account_id = :id)';
  const [account, opening, rows] = await ctx.db.batch(
    [
      { sql: 'SELECT id FROM ledger_accounts WHERE id = ?', args: [accountId] },
      {
        sql: `SELECT COALESCE(SUM(CASE WHEN credit_account_id = :id THEN amount_cents ELSE -amount_cents END), 0)
                AS balance
              FROM ledger_transfers WHERE ${mine} AND sequence <= :after`,
        args: { id: accountId, after: BigInt(after) },
      },
      {
        sql: `SELECT * FROM ledger_transfers WHERE ${mine} AND sequence > :after ORDER BY sequence LIMIT :limit`,
        args: { id: accountId, after: BigInt(after), limit: BigInt(limit + 1) },
      },
    ],
    'read',
  );
  if (!account?.rows[0]) return null;
  let balance = int(aggregateRow(opening), 'balance');
  const entries = (rows?.rows ?? []).slice(0, limit).map((row): StatementEntry => {
    const credited = text(row, 'credit_account_id') === accountId;
    const amount = int(row, 'amount_cents');
    balance += credited ? amount : -amount;
    return {
      transferId: text(row, 'id'),
      sequence: int(row, 'sequence'),
      createdAt: text(row, 'created_at'),
      code: text(row, 'code') as TransferCode,
      reference: text(row, 'reference'),
      externalReference: textOrNull(row, 'external_reference'),
      amountCents: credited ? amount : -amount,
      counterpartyAccountId: text(row, credited ? 'debit_account_id' : 'credit_account_id'),
      balanceAfterCents: balance,
    };
  });
  const more = (rows?.rows.length ?? 0) > limit;
  return { accountId, entries, nextCursor: more ? String(entries.at(-1)?.sequence) : null };
}

export interface BalanceAudit {
  /** True when the balances sum to 0, each equals its transfers, and none is below its floor. */
  ok: boolean;
  accounts: number;
  totalCents: number;
  mismatches: { accountId: string; cachedCents: number; recomputedCents: number }[];
  overdrawn: string[];
}

/** Recomputes every balance from the transfers and compares it with the cached one. */
export async function auditBalances(ctx: LedgerContext): Promise<BalanceAudit> {
  const { rows } = await ctx.db.execute(`
    SELECT a.id, a.balance_cents, a.debits_must_not_exceed_credits AS floored,
      COALESCE(c.total, 0) - COALESCE(d.total, 0) AS recomputed
    FROM ledger_accounts AS a
    LEFT JOIN (SELECT credit_account_id AS id, SUM(amount_cents) AS total FROM ledger_transfers
               GROUP BY credit_account_id) AS c ON c.id = a.id
    LEFT JOIN (SELECT debit_account_id AS id, SUM(amount_cents) AS total FROM ledger_transfers
               GROUP BY debit_account_id) AS d ON d.id = a.id`);
  let totalCents = 0;
  const mismatches: BalanceAudit['mismatches'] = [];
  const overdrawn: string[] = [];
  for (const row of rows) {
    const accountId = text(row, 'id');
    const cachedCents = int(row, 'balance_cents');
    const recomputedCents = int(row, 'recomputed');
    totalCents += cachedCents;
    if (cachedCents !== recomputedCents) mismatches.push({ accountId, cachedCents, recomputedCents });
    if (int(row, 'floored') === 1 && cachedCents < 0) overdrawn.push(accountId);
  }
  const ok = totalCents === 0 && mismatches.length === 0 && overdrawn.length === 0;
  return { ok, accounts: rows.length, totalCents, mismatches, overdrawn };
}
