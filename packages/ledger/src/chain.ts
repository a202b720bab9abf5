import type { InStatement, InValue, ResultSet, Row } from '@libsql/client';
import type { TransferCode } from '@wijkteams/db';
import { sha256Hex } from '@wijkteams/db';
import type { LedgerContext } from './context.ts';
import { int, text, textOrNull } from './rows.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainTail {
  sequence: number;
  hash: string;
  createdAt: string;
}

export const readChainTail: InStatement = {
  sql: 'SELECT sequence, hash, created_at FROM ledger_transfers ORDER BY sequence DESC LIMIT 1',
  args: [],
};

export function chainTailOf(rs: ResultSet): ChainTail {
  const row = rs.rows[0];
  if (!row) return { sequence: 0, hash: GENESIS_HASH, createdAt: '' };
  return { sequence: int(row, 'sequence'), hash: text(row, 'hash'), createdAt: text(row, 'created_at') };
}

export interface TransferDraft {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  amountCents: number;
  code: TransferCode;
  reference: string;
  externalReference: string | null;
  idempotencyKey: string | null;
  leg: number;
}

export interface Transfer extends TransferDraft {
  sequence: number;
  createdAt: string;
  prevHash: string;
  hash: string;
}

/**
 * `hash = SHA-256(prev_hash || canonical fields)`, hex. The canonical fields are a JSON array in a
 * fixed order, so no two different transfers share an encoding.
 */
export function transferHash(prevHash: string, t: Omit<Transfer, 'prevHash' | 'hash'>): string {
  const fields = [
    t.sequence,
    t.id,
    t.debitAccountId,
    t.creditAccountId,
    t.amountCents,
    t.code,
    t.reference,
    t.externalReference,
    t.idempotencyKey,
    t.leg,
    t.createdAt,
  ];
  return sha256Hex(prevHash + JSON.stringify(fields));
}

/**
 * Places drafts after the tail that was read, in order. The database only accepts them if that tail
 * is still the tail when the batch runs (trigger `ledger_transfers_chain`), so a stale plan aborts
 * instead of forking the chain. A transfer is never dated before the tail: the chain is then also in
 * time order, and "every transfer up to asOf" is a prefix of it.
 */
export function appendToChain(tail: ChainTail, at: Date, drafts: TransferDraft[]): Transfer[] {
  const stamp = at.toISOString();
  const createdAt = stamp < tail.createdAt ? tail.createdAt : stamp;
  const transfers: Transfer[] = [];
  let prevHash = tail.hash;
  for (const [i, draft] of drafts.entries()) {
    const placed = { ...draft, sequence: tail.sequence + i + 1, createdAt };
    const hash = transferHash(prevHash, placed);
    transfers.push({ ...placed, prevHash, hash });
    prevHash = hash;
  }
  return transfers;
}

/** A condition, checked inside the write, under which a guarded statement takes effect. */
export interface Guard {
  sql: string;
  args: Record<string, InValue>;
}

const TRANSFER_COLUMNS = `id, sequence, debit_account_id, credit_account_id, amount_cents, code, reference,
  external_reference, idempotency_key, leg, created_at, prev_hash, hash`;

export function insertTransfer(t: Transfer, guard: Guard): InStatement {
  return {
    sql: `INSERT INTO ledger_transfers (${TRANSFER_COLUMNS})
          SELECT :id, :sequence, :debit, :credit, :amount, :code, :reference, :external_reference,
            :idempotency_key, :leg, :created_at, :prev_hash, :hash
          WHERE ${guard.sql}`,
    args: {
      id: t.id,
      sequence: BigInt(t.sequence),
      debit: t.debitAccountId,
      credit: t.creditAccountId,
      amount: BigInt(t.amountCents),
      code: t.code,
      reference: t.reference,
      external_reference: t.externalReference,
      idempotency_key: t.idempotencyKey,
      leg: BigInt(t.leg),
      created_at: t.createdAt,
      prev_hash: t.prevHash,
      hash: t.hash,
      ...guard.args,
    },
  };
}

/**
 * The transfers of commands in ONE statement, however many there are: a statement's preparation
 * compiles every trigger on `ledger_transfers` (about 140 µs embedded), so one per transfer costs more
 * than the rest of a redemption. Each row goes in only where its command's attempt stored the key with
 * outcome ok (the attempt guard, per row), and the rows go in in chain order, each checked by the
 * triggers as if inserted alone: a row left out makes every later one miss the chain tail, and the
 * batch aborts.
 */
export function insertCommandTransfers(
  rows: { transfer: Transfer; key: string; attempt: string }[],
): InStatement {
  const values = rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
  return {
    sql: `INSERT INTO ledger_transfers (${TRANSFER_COLUMNS})
          SELECT column1, column2, column3, column4, column5, column6, column7, column8, column9, column10,
            column11, column12, column13
          FROM (VALUES ${values})
          WHERE EXISTS (SELECT 1 FROM ledger_idempotency_keys
                        WHERE key = column14 AND attempt = column15 AND status = 'ok')
          ORDER BY column2`,
    args: rows.flatMap(({ transfer: t, key, attempt }) => [
      t.id,
      BigInt(t.sequence),
      t.debitAccountId,
      t.creditAccountId,
      BigInt(t.amountCents),
      t.code,
      t.reference,
      t.externalReference,
      t.idempotencyKey,
      BigInt(t.leg),
      t.createdAt,
      t.prevHash,
      t.hash,
      key,
      attempt,
    ]),
  };
}

export function transferOf(row: Row): Transfer {
  return {
    id: text(row, 'id'),
    sequence: int(row, 'sequence'),
    debitAccountId: text(row, 'debit_account_id'),
    creditAccountId: text(row, 'credit_account_id'),
    amountCents: int(row, 'amount_cents'),
    code: text(row, 'code') as TransferCode,
    reference: text(row, 'reference'),
    externalReference: textOrNull(row, 'external_reference'),
    idempotencyKey: textOrNull(row, 'idempotency_key'),
    leg: int(row, 'leg'),
    createdAt: text(row, 'created_at'),
    prevHash: text(row, 'prev_hash'),
    hash: text(row, 'hash'),
  };
}

export type ChainVerification =
  | { ok: true; transfers: number; headHash: string }
  | { ok: false; firstBreak: { sequence: number; id: string } };

const VERIFY_PAGE = 1000;

/**
 * Recomputes the chain from genesis: sequences without gaps, each `prev_hash` the hash before it,
 * each hash over its own fields. The first transfer where any of that fails is the break.
 */
export async function verifyChain(ctx: LedgerContext): Promise<ChainVerification> {
  let expected = 1;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const { rows } = await ctx.db.execute({
      sql: 'SELECT * FROM ledger_transfers WHERE sequence >= ? ORDER BY sequence LIMIT ?',
      args: [BigInt(expected), BigInt(VERIFY_PAGE)],
    });
    for (const row of rows) {
      const t = transferOf(row);
      if (t.sequence !== expected || t.prevHash !== prevHash || transferHash(prevHash, t) !== t.hash) {
        return { ok: false, firstBreak: { sequence: t.sequence, id: t.id } };
      }
      prevHash = t.hash;
      expected += 1;
    }
    if (rows.length < VERIFY_PAGE) return { ok: true, transfers: expected - 1, headHash: prevHash };
  }
}
