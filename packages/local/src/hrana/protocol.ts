/**
 * Hrana over HTTP, version 2 (JSON): the messages `@libsql/client` POSTs to `<base>/v2/pipeline`.
 *
 * Requests arrive as untrusted JSON and are decoded here into internal types (camelCase, SQL values
 * already converted for libsql). Responses are built directly in wire shape (snake_case), so they can
 * be serialized without a mapping step.
 */

/** A value as libsql binds and returns it (with safe integers on, so every INTEGER is a bigint). */
export type SqlValue = null | bigint | number | string | Uint8Array;

// ---- Requests (decoded) -------------------------------------------------------------------------

/** SQL text sent inline, or the id under which the client stored it earlier with `store_sql`. */
export type SqlRef = { sql: string } | { sqlId: number };

export interface Stmt {
  sql: SqlRef;
  args: SqlValue[];
  namedArgs: Map<string, SqlValue>;
  wantRows: boolean;
}

export type BatchCond =
  | { type: 'ok' | 'error'; step: number }
  | { type: 'not'; cond: BatchCond }
  | { type: 'and' | 'or'; conds: BatchCond[] }
  | { type: 'is_autocommit' };

export interface BatchStep {
  condition: BatchCond | undefined;
  stmt: Stmt;
}

export type StreamRequest =
  | { type: 'close' }
  | { type: 'execute'; stmt: Stmt }
  | { type: 'batch'; steps: BatchStep[] }
  | { type: 'sequence'; sql: SqlRef }
  | { type: 'describe'; sql: SqlRef }
  | { type: 'store_sql'; sqlId: number; sql: string }
  | { type: 'close_sql'; sqlId: number }
  | { type: 'get_autocommit' };

export interface PipelineRequest {
  /** null opens a new stream; otherwise the baton from the previous response on the same stream. */
  baton: string | null;
  requests: StreamRequest[];
}

// ---- Responses (wire shape) ---------------------------------------------------------------------

export type Value =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string };

export interface Col {
  name: string | null;
  decltype: string | null;
}

export interface StmtResult {
  cols: Col[];
  rows: Value[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
}

export interface HranaError {
  message: string;
  code: string;
}

export interface BatchResult {
  step_results: (StmtResult | null)[];
  step_errors: (HranaError | null)[];
}

export interface DescribeResult {
  params: { name: string | null }[];
  cols: Col[];
  is_explain: boolean;
  is_readonly: boolean;
}

export type StreamResponse =
  | { type: 'close' | 'sequence' | 'store_sql' | 'close_sql' }
  | { type: 'execute'; result: StmtResult }
  | { type: 'batch'; result: BatchResult }
  | { type: 'describe'; result: DescribeResult }
  | { type: 'get_autocommit'; is_autocommit: boolean };

export type StreamResult = { type: 'ok'; response: StreamResponse } | { type: 'error'; error: HranaError };

export interface PipelineResponse {
  baton: string | null;
  base_url: string | null;
  results: StreamResult[];
}

// ---- Errors -------------------------------------------------------------------------------------

/**
 * The HTTP request as a whole cannot be served: malformed JSON, an unknown or expired baton, a `sql_id`
 * that was never stored. Answered with 400 and a JSON `{ message, code }` body (which the client turns
 * into a `LibsqlError`), and the stream it named is closed, as sqld does.
 */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
  constructor(
    message: string,
    readonly code = 'PROTOCOL_ERROR',
  ) {
    super(message);
  }
}

/** One request (or batch step) failed, e.g. an SQL error. Reported in its result; the stream lives on. */
export class RequestError extends Error {
  override name = 'RequestError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  toHrana(): HranaError {
    return { message: this.message, code: this.code };
  }
}

// ---- Decoding -----------------------------------------------------------------------------------

type JsonObject = Record<string, unknown>;

export function decodePipelineRequest(body: unknown): PipelineRequest {
  const obj = object(body, 'pipeline request');
  const baton = obj.baton ?? null;
  if (baton !== null && typeof baton !== 'string') throw new ProtocolError('baton must be a string or null');
  const requests = array(obj.requests, 'requests').map((request, i) =>
    decodeRequest(request, `requests[${i}]`),
  );
  return { baton, requests };
}

function decodeRequest(json: unknown, where: string): StreamRequest {
  const obj = object(json, where);
  const type = obj.type;
  switch (type) {
    case 'close':
    case 'get_autocommit':
      return { type };
    case 'execute':
      return { type, stmt: decodeStmt(obj.stmt, `${where}.stmt`) };
    case 'batch': {
      const batch = object(obj.batch, `${where}.batch`);
      const steps = array(batch.steps, `${where}.batch.steps`).map((json, i) => {
        const at = `${where}.batch.steps[${i}]`;
        const step = object(json, at);
        return {
          condition: step.condition == null ? undefined : decodeCond(step.condition, i, `${at}.condition`),
          stmt: decodeStmt(step.stmt, `${at}.stmt`),
        };
      });
      return { type, steps };
    }
    case 'sequence':
    case 'describe':
      return { type, sql: decodeSqlRef(obj, where) };
    case 'store_sql':
      return { type, sqlId: integer(obj.sql_id, `${where}.sql_id`), sql: string(obj.sql, `${where}.sql`) };
    case 'close_sql':
      return { type, sqlId: integer(obj.sql_id, `${where}.sql_id`) };
    default:
      throw new ProtocolError(`${where}.type ${JSON.stringify(type)} is not a known request type`);
  }
}

function decodeStmt(json: unknown, where: string): Stmt {
  const obj = object(json, where);
  const namedArgs = new Map<string, SqlValue>();
  for (const [i, arg] of array(obj.named_args ?? [], `${where}.named_args`).entries()) {
    const argObj = object(arg, `${where}.named_args[${i}]`);
    const name = string(argObj.name, `${where}.named_args[${i}].name`);
    namedArgs.set(name, decodeValue(argObj.value, `${where}.named_args[${i}].value`));
  }
  const wantRows = obj.want_rows ?? true;
  if (typeof wantRows !== 'boolean') throw new ProtocolError(`${where}.want_rows must be a boolean`);
  return {
    sql: decodeSqlRef(obj, where),
    args: array(obj.args ?? [], `${where}.args`).map((arg, i) => decodeValue(arg, `${where}.args[${i}]`)),
    namedArgs,
    wantRows,
  };
}

function decodeSqlRef(obj: JsonObject, where: string): SqlRef {
  const { sql, sql_id: sqlId } = obj;
  if (sql != null && sqlId != null) throw new ProtocolError(`${where} has both sql and sql_id`);
  if (sql != null) return { sql: string(sql, `${where}.sql`) };
  if (sqlId != null) return { sqlId: integer(sqlId, `${where}.sql_id`) };
  throw new ProtocolError(`${where} has neither sql nor sql_id`);
}

/** `step` is the index of the step that owns the condition: it may only look at earlier steps. */
function decodeCond(json: unknown, step: number, where: string): BatchCond {
  const obj = object(json, where);
  const type = obj.type;
  switch (type) {
    case 'ok':
    case 'error': {
      const target = integer(obj.step, `${where}.step`);
      if (target < 0 || target >= step) {
        throw new ProtocolError(`${where}.step must refer to an earlier step`);
      }
      return { type, step: target };
    }
    case 'not':
      return { type, cond: decodeCond(obj.cond, step, `${where}.cond`) };
    case 'and':
    case 'or':
      return { type, conds: array(obj.conds, `${where}.conds`).map((cond) => decodeCond(cond, step, where)) };
    case 'is_autocommit':
      return { type };
    default:
      throw new ProtocolError(`${where}.type ${JSON.stringify(type)} is not a condition type`);
  }
}

const MIN_INTEGER = -(2n ** 63n);
const MAX_INTEGER = 2n ** 63n - 1n;

function decodeValue(json: unknown, where: string): SqlValue {
  const obj = object(json, where);
  switch (obj.type) {
    case 'null':
      return null;
    case 'integer': {
      // Integers travel as decimal strings, because a JSON number would lose precision above 2^53.
      const text = obj.value;
      if (typeof text !== 'string' || !/^-?\d{1,20}$/.test(text)) {
        throw new ProtocolError(`${where}.value must be a decimal string`);
      }
      const value = BigInt(text);
      if (value < MIN_INTEGER || value > MAX_INTEGER) {
        throw new ProtocolError(`${where}.value is out of the 64-bit range`);
      }
      return value;
    }
    case 'float':
      if (typeof obj.value !== 'number') {
        throw new ProtocolError(`${where}.value must be a number`);
      }
      return obj.value;
    case 'text':
      return string(obj.value, `${where}.value`);
    case 'blob':
      return Buffer.from(string(obj.base64, `${where}.base64`), 'base64');
    default:
      throw new ProtocolError(`${where}.type ${JSON.stringify(obj.type)} is not a value type`);
  }
}

/** Encodes one cell of a libsql row; connections run with safe integers, so INTEGER arrives as bigint. */
export function encodeValue(value: unknown): Value {
  if (value === null) return { type: 'null' };
  if (typeof value === 'bigint') return { type: 'integer', value: value.toString() };
  if (typeof value === 'number') return { type: 'float', value };
  if (typeof value === 'string') return { type: 'text', value };
  if (value instanceof Uint8Array) {
    return {
      type: 'blob',
      base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'),
    };
  }
  throw new Error(`libsql returned a value of unexpected type ${typeof value}`);
}

function object(json: unknown, where: string): JsonObject {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ProtocolError(`${where} must be an object`);
  }
  return json as JsonObject;
}

function array(json: unknown, where: string): unknown[] {
  if (!Array.isArray(json)) throw new ProtocolError(`${where} must be an array`);
  return json;
}

function string(json: unknown, where: string): string {
  if (typeof json !== 'string') throw new ProtocolError(`${where} must be a string`);
  return json;
}

function integer(json: unknown, where: string): number {
  if (typeof json !== 'number' || !Number.isSafeInteger(json)) {
    throw new ProtocolError(`${where} must be an integer`);
  }
  return json;
}
