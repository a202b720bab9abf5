import type { InStatement, InValue, ResultSet, Row } from '@libsql/client';
import { type AccountIdentity, findAccount, openAccounts } from './accounts.ts';
import {
  type ChainTail,
  chainTailOf,
  type Guard,
  insertCommandTransfers,
  readChainTail,
  type Transfer,
} from './chain.ts';
import type { LedgerContext } from './context.ts';
import { text } from './rows.ts';

/**
 * How every value-moving command runs (TigerBeetle's discipline on libSQL):
 *
 * 1. One read round trip: the idempotency key, the tail of the hash chain, and the rows the
 *    command plans from. A key already answered returns that answer (or a conflict) at once.
 * 2. The plan is computed in JavaScript: ids, voucher codes and the transfers' hashes, chained
 *    from the tail that was read (SHA-256 is not available in SQL, so the hash cannot be made
 *    inside the write).
 * 3. One write batch (a single transaction) records the answer under the key and makes the moves.
 *    The checks that matter are decided inside it: the outcome (redeemed already? enough budget?)
 *    is an SQL expression over the rows as they are at that moment, and every other statement is
 *    guarded on "this batch stored the key, with outcome ok". Constraints and triggers back it up:
 *    the no-overdraft CHECK, a voucher settled once, and the chain trigger, which accepts a
 *    transfer only at the tail the plan was computed from.
 * 4. If a concurrent write moved the tail first, the batch aborts as a whole (`ledger_chain_moved`)
 *    and the command plans again from step 1. The chain therefore stays linear under any number of
 *    writers, on one file or over HTTP, and no write ever holds a transaction open across a round
 *    trip (an interactive transaction would, and with the embedded driver, whose calls block, two
 *    of them in one process would wait on each other).
 */

/** A command's result: its own answer, the first answer to the same request, or a refusal. */
export type Idempotent<A> = A | { status: 'replay'; first: A } | { status: 'idempotency-conflict' };

export interface Command {
  operation: string;
  key: string;
  requestHash: string;
}

export const readKey = (key: string): InStatement => ({
  sql: 'SELECT operation, request_hash, attempt, status, body FROM ledger_idempotency_keys WHERE key = ?',
  args: [key],
});

/** The stored answers of many keys in one statement (group commit); see `rowsBy`. */
export const readKeys = (keys: string[]): InStatement => ({
  sql: `SELECT key, operation, request_hash, attempt, status, body FROM ledger_idempotency_keys
        WHERE key IN (${keys.map(() => '?').join(', ')})`,
  args: keys,
});

export function storedAnswer<A>(
  rs: ResultSet | undefined,
  command: Command,
  attempt: string | null,
): Idempotent<A> | null {
  return answerOf<A>(rs?.rows[0], command, attempt);
}

/** What a stored key row means for `command`: its own answer (this attempt), a replay, or a conflict. */
export function answerOf<A>(
  row: Row | undefined,
  command: Command,
  attempt: string | null,
): Idempotent<A> | null {
  if (!row) return null;
  const answer = { status: text(row, 'status'), body: JSON.parse(text(row, 'body')) as unknown } as A;
  if (attempt !== null && text(row, 'attempt') === attempt) return answer;
  if (text(row, 'operation') === command.operation && text(row, 'request_hash') === command.requestHash) {
    return { status: 'replay', first: answer };
  }
  return { status: 'idempotency-conflict' };
}

export interface Plan {
  tail: ChainTail;
  accountIds: string[];
  reads: ResultSet[];
}

/** Step 1: reads the key, the tail, the accounts (opening missing ones) and `reads`. */
export async function prepare<A>(
  ctx: LedgerContext,
  command: Command | null,
  accounts: AccountIdentity[],
  reads: InStatement[] = [],
): Promise<{ answered: Idempotent<A> } | Plan> {
  const results = await ctx.db.batch(
    [readKey(command?.key ?? ''), readChainTail, ...accounts.map(findAccount), ...reads],
    'read',
  );
  if (command) {
    const answered = storedAnswer<A>(results[0], command, null);
    if (answered) return { answered };
  }
  const found = accounts.map((_, i) => {
    const row = results[2 + i]?.rows[0];
    return row ? text(row, 'id') : undefined;
  });
  return {
    tail: chainTailOf(results[1] as ResultSet),
    accountIds: await openAccounts(ctx, accounts, found),
    reads: results.slice(2 + accounts.length),
  };
}

export interface Posting {
  /** SQL expression for the outcome, evaluated inside the write; `'ok'` moves the value. */
  outcome: string;
  /** SQL expression for the answer body (JSON text) when the outcome is ok. */
  okBody: string;
  /** SQL expression for the answer body (JSON text) for every other outcome. */
  refusalBody: string;
  /** Named arguments of the three expressions. */
  args: Record<string, InValue>;
  /** Rows written before the transfers (vouchers), guarded on the outcome. */
  rows?: (guard: Guard) => InStatement[];
  transfers: Transfer[];
}

/** The guard of every statement a command writes: "this attempt stored the key, with outcome ok". */
export function attemptGuard(command: Command, attempt: string): Guard {
  return {
    sql: `EXISTS (SELECT 1 FROM ledger_idempotency_keys
                  WHERE key = :g_key AND attempt = :g_attempt AND status = 'ok')`,
    args: { g_key: command.key, g_attempt: attempt },
  };
}

/** The statement that stores a command's answer under its key, its outcome decided inside the write. */
export function recordAnswer(command: Command, posting: Posting, guard: Guard, at: Date): InStatement {
  return {
    sql: `INSERT INTO ledger_idempotency_keys (key, operation, request_hash, attempt, status, body, created_at)
          SELECT :g_key, :g_operation, :g_request_hash, :g_attempt, o.status,
            CASE WHEN o.status = 'ok' THEN json(${posting.okBody}) ELSE json(${posting.refusalBody}) END,
            :g_created_at
          FROM (SELECT ${posting.outcome} AS status) AS o
          WHERE true
          ON CONFLICT (key) DO NOTHING`,
    args: {
      ...posting.args,
      ...guard.args,
      g_operation: command.operation,
      g_request_hash: command.requestHash,
      g_created_at: at.toISOString(),
    },
  };
}

/** Steps 3 and 4's first half: the single write. Aborts (and throws) when the plan went stale. */
export async function commit<A>(
  ctx: LedgerContext,
  command: Command,
  posting: Posting,
  at: Date,
): Promise<Idempotent<A>> {
  const attempt = crypto.randomUUID();
  const guard = attemptGuard(command, attempt);
  const results = await ctx.db.batch(
    [
      recordAnswer(command, posting, guard, at),
      ...(posting.rows?.(guard) ?? []),
      ...(posting.transfers.length === 0
        ? []
        : [
            insertCommandTransfers(
              posting.transfers.map((transfer) => ({ transfer, key: command.key, attempt })),
            ),
          ]),
      readKey(command.key),
    ],
    'write',
  );
  const answer = storedAnswer<A>(results.at(-1), command, attempt);
  if (!answer) throw new Error(`No answer was stored under the key of ${command.operation}`);
  return answer;
}

/** Aborts that mean "plan again": the chain moved, the plan went stale, a new code collided, busy. */
const RETRYABLE = ['ledger_chain_moved', 'ledger_plan_stale', 'ledger_vouchers.code', 'SQLITE_BUSY'];
const MAX_ATTEMPTS = 200;

/**
 * Step 4: runs a command until its write lands. Each round some writer wins, so this ends; the
 * random, growing pause (exponential backoff with full jitter, at most 50 ms) spreads writers that
 * collided so that they do not collide again in lock step.
 */
export async function withRetries<T>(ctx: LedgerContext, run: () => Promise<T>): Promise<T> {
  const serialize = ctx.serialize ?? ((work: () => Promise<T>) => work());
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await serialize(run);
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));
    }
  }
}

export function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // The embedded driver leaves a statement that failed with SQLITE_BUSY open, and every later COMMIT
  // on that connection fails so; trying again cannot help. A busy timeout on the connection
  // (`tuneEmbedded`) keeps BEGIN IMMEDIATE from failing in the first place.
  if (error.message.includes('SQL statements in progress')) return false;
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || RETRYABLE.some((marker) => error.message.includes(marker));
}
