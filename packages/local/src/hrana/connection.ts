import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'libsql';
import {
  type Col,
  type DescribeResult,
  encodeValue,
  RequestError,
  type SqlValue,
  type Stmt,
  type StmtResult,
  type Value,
} from './protocol.ts';
import { type StatementShape, scanStatement } from './sql.ts';

/** One libSQL connection to a database file; every Hrana stream owns exactly one. */
export type Connection = Database.Database;

type Args = Pick<Stmt, 'args' | 'namedArgs'>;

/** How long a statement keeps retrying while another connection holds the lock it needs. */
const BUSY_TIMEOUT_MS = 5_000;
const MAX_BUSY_DELAY_MS = 50;
const NO_ARGS: Args = { args: [], namedArgs: new Map() };

/**
 * Connections on which a statement gave up with SQLITE_BUSY. libsql cannot reset such a statement,
 * and while it stays active, later autocommit writes on the connection report success but never
 * commit. Such a connection refuses further statements instead.
 */
const stranded = new WeakSet<Connection>();

/**
 * Prepared statements per connection, by SQL text. A write batch of the ledger repeats one
 * statement for every command in it, and preparing one that touches the ledger compiles its
 * triggers: compiled once per connection, not once per statement. Bounded; emptied when full.
 */
const preparedBySql = new WeakMap<Connection, Map<string, Database.Statement>>();
const MAX_PREPARED = 64;

function prepare(conn: Connection, sql: string): Database.Statement {
  let cache = preparedBySql.get(conn);
  if (!cache) {
    cache = new Map();
    preparedBySql.set(conn, cache);
  }
  let prepared = cache.get(sql);
  if (!prepared) {
    prepared = conn.prepare(sql);
    if (cache.size >= MAX_PREPARED) cache.clear();
    cache.set(sql, prepared);
  }
  return prepared;
}

export async function openConnection(file: string): Promise<Connection> {
  mkdirSync(dirname(file), { recursive: true });
  const conn = new Database(file);
  try {
    // SQLite's own busy handler sleeps on the calling thread. Here that is the event loop, which the
    // lock holder (another stream's open transaction) needs in order to commit, so a blocking wait
    // could only ever time out. retryWhileBusy() waits asynchronously instead.
    conn.exec('PRAGMA busy_timeout = 0');
    await retryWhileBusy(() => conn.exec('PRAGMA journal_mode = WAL'));
    conn.exec('PRAGMA foreign_keys = ON');
    // INTEGER values come back as bigint, so values beyond 2^53 keep every digit.
    conn.defaultSafeIntegers(true);
    return conn;
  } catch (error) {
    conn.close();
    throw error;
  }
}

/** Runs a text that must hold exactly one statement. */
export async function executeStmt(
  conn: Connection,
  sql: string,
  stmt: Args & Pick<Stmt, 'wantRows'>,
): Promise<StmtResult> {
  const shape = singleStatement(sql);
  const values = bindValues(shape, stmt);
  return sqliteErrorsAsRequestErrors(() => run(conn, sql, shape, values, stmt.wantRows));
}

/** Runs every statement of a text in order, without arguments, stopping at the first error. */
export async function executeSequence(conn: Connection, sql: string): Promise<void> {
  for (let from = 0; ; ) {
    const shape = scanStatement(sql, from);
    if (shape.keyword === '') return;
    const text = sql.slice(from, shape.end);
    const values = bindValues(shape, NO_ARGS);
    await sqliteErrorsAsRequestErrors(() => run(conn, text, shape, values, false));
    from = shape.end;
  }
}

export async function describeStmt(conn: Connection, sql: string): Promise<DescribeResult> {
  const shape = singleStatement(sql);
  const isExplain = shape.keyword === 'EXPLAIN';
  return sqliteErrorsAsRequestErrors(async () => {
    const prepared = await retryWhileBusy(() => conn.prepare(sql));
    return {
      params: shape.params.map((name) => ({ name })),
      cols: prepared.reader ? columnsOf(prepared) : [],
      is_explain: isExplain,
      is_readonly: isExplain || !writes(conn, sql),
    };
  });
}

function singleStatement(sql: string): StatementShape {
  const shape = scanStatement(sql);
  if (shape.keyword === '') {
    throw new RequestError('SQL_NO_STATEMENT', 'SQL string does not contain any statement');
  }
  // libsql would run the first statement and silently drop the rest.
  if (scanStatement(sql, shape.end).keyword !== '') {
    throw new RequestError('SQL_MANY_STATEMENTS', 'SQL string contains more than one statement');
  }
  return shape;
}

/**
 * Orders the arguments by parameter position, with sqld's rules: a named parameter takes a named
 * argument given with or without its prefix, a `?` takes a positional one, and every parameter needs
 * a value. Binding by position always also keeps clear of libsql's crash on named binding.
 */
function bindValues(shape: StatementShape, { args, namedArgs }: Args): SqlValue[] {
  if (args.length > 0 && namedArgs.size > 0) {
    throw new RequestError(
      'ARGS_BOTH_POSITIONAL_AND_NAMED',
      'Specifying both positional and named arguments is not supported',
    );
  }
  const given = args.length + namedArgs.size;
  if (given > shape.params.length) {
    throw new RequestError(
      'ARGS_INVALID',
      `The statement has ${shape.params.length} parameters, got ${given} arguments`,
    );
  }
  return shape.params.map((name, index) => {
    const positional = name === null || name.startsWith('?');
    const value = positional ? args[index] : namedArgs.get(namedArgs.has(name) ? name : name.slice(1));
    if (value === undefined) {
      throw new RequestError('ARGS_INVALID', `No value for parameter ${name ?? `?${index + 1}`}`);
    }
    return value;
  });
}

async function run(
  conn: Connection,
  sql: string,
  shape: StatementShape,
  values: SqlValue[],
  wantRows: boolean,
): Promise<StmtResult> {
  if (stranded.has(conn)) {
    throw new RequestError(
      'SQLITE_BUSY',
      'An earlier statement on this stream gave up waiting for a lock and cannot be reset; use a new stream',
    );
  }
  const prepared = await retryWhileBusy(() => prepare(conn, sql));
  const cols = prepared.reader ? columnsOf(prepared) : [];
  const before = counters(conn);
  // Retry with this same statement: libsql resets it before each run, while a fresh one would leave
  // the failed one active.
  const rows = await retryWhileBusy(() => {
    if (!prepared.reader) {
      prepared.run(values);
      return [];
    }
    // Step to the end even when the rows are unwanted: an INSERT ... RETURNING must complete.
    const all = prepared.raw(true).all(values);
    return wantRows ? all.map(encodeRow) : [];
  }).catch((error: unknown) => {
    if (error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY')) stranded.add(conn);
    throw error;
  });
  const after = counters(conn);
  // changes() keeps its value across statements that change nothing (SELECT, DDL), so only trust it
  // when this statement moved total_changes(). Like sqld, report a rowid only for inserts.
  const changed = after.totalChanges !== before.totalChanges;
  const inserted =
    shape.keyword === 'INSERT' ||
    shape.keyword === 'REPLACE' ||
    after.lastInsertRowid !== before.lastInsertRowid;
  return {
    cols,
    rows,
    affected_row_count: changed ? Number(after.changes) : 0,
    last_insert_rowid: inserted ? after.lastInsertRowid.toString() : null,
  };
}

function counters(conn: Connection): { totalChanges: bigint; changes: bigint; lastInsertRowid: bigint } {
  const row = prepare(conn, 'SELECT total_changes(), changes(), last_insert_rowid()').raw(true).get([]);
  const [totalChanges, changes, lastInsertRowid] = Array.isArray(row) ? row.map(bigint) : [];
  if (totalChanges === undefined || changes === undefined || lastInsertRowid === undefined) {
    throw new Error('libsql returned no change counters');
  }
  return { totalChanges, changes, lastInsertRowid };
}

function bigint(value: unknown): bigint {
  if (typeof value !== 'bigint') throw new Error(`expected a bigint from libsql, got ${typeof value}`);
  return value;
}

function columnsOf(prepared: Database.Statement): Col[] {
  return prepared.columns().map((column) => ({ name: column.name, decltype: column.type }));
}

function encodeRow(row: unknown): Value[] {
  if (!Array.isArray(row)) throw new Error('libsql returned a row that is not an array');
  return row.map(encodeValue);
}

/** libsql has no sqlite3_stmt_readonly(); a statement writes iff its bytecode opens a write transaction. */
function writes(conn: Connection, sql: string): boolean {
  return conn
    .prepare(`EXPLAIN ${sql}`)
    .raw(true)
    .all([])
    .some((op) => Array.isArray(op) && ((op[1] === 'Transaction' && op[3] !== 0n) || op[1] === 'Vacuum'));
}

/**
 * Runs `work`, retrying while another connection holds a lock it needs. Retrying is safe because a
 * statement that fails with SQLITE_BUSY has had no effect.
 */
async function retryWhileBusy<T>(work: () => T): Promise<T> {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (let delay = 1; ; delay = Math.min(delay * 2, MAX_BUSY_DELAY_MS)) {
    try {
      return work();
    } catch (error) {
      if (!isBusy(error) || Date.now() + delay > deadline) throw error;
      await sleep(delay);
    }
  }
}

/** SQLITE_BUSY_SNAPSHOT is not retried: a transaction whose snapshot went stale cannot win by waiting. */
function isBusy(error: unknown): boolean {
  return (
    error instanceof Database.SqliteError &&
    (error.code === 'SQLITE_BUSY' ||
      error.code === 'SQLITE_BUSY_RECOVERY' ||
      error.code === 'SQLITE_BUSY_TIMEOUT')
  );
}

/**
 * Turns SQLite errors into per-request errors. The code is the primary result code
 * (`SQLITE_CONSTRAINT`, not `SQLITE_CONSTRAINT_UNIQUE`), as sqld reports it and as the embedded
 * client puts it in `LibsqlError.code`. Anything else is a bug and propagates.
 */
async function sqliteErrorsAsRequestErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Database.SqliteError) {
      const primaryCode = error.code.split('_', 2).join('_');
      throw new RequestError(primaryCode, error.message);
    }
    throw error;
  }
}
