import { describeStmt, executeSequence, executeStmt } from './connection.ts';
import {
  type BatchCond,
  type BatchResult,
  type BatchStep,
  type HranaError,
  type PipelineRequest,
  type PipelineResponse,
  ProtocolError,
  RequestError,
  type SqlRef,
  type StmtResult,
  type StreamRequest,
  type StreamResponse,
  type StreamResult,
} from './protocol.ts';
import type { Stream, StreamRegistry } from './streams.ts';

/** sqld's limit; `@libsql/client` keeps at most 30 texts stored per stream. */
const MAX_STORED_SQL = 50;

/** Runs the requests of one HTTP call, in order, on the stream its baton names (or on a new one). */
export async function runPipeline(
  streams: StreamRegistry,
  file: string,
  pipeline: PipelineRequest,
): Promise<PipelineResponse> {
  const stream = pipeline.baton === null ? await streams.open(file) : streams.take(pipeline.baton, file);
  try {
    const results: StreamResult[] = [];
    for (const request of pipeline.requests) results.push(await handle(stream, request));
    return { baton: streams.park(stream), base_url: null, results };
  } catch (error) {
    // After a protocol violation (or a bug) the client cannot know the stream's state: close it.
    streams.discard(stream);
    throw error;
  }
}

async function handle(stream: Stream, request: StreamRequest): Promise<StreamResult> {
  try {
    return { type: 'ok', response: await respond(stream, request) };
  } catch (error) {
    if (error instanceof RequestError) return { type: 'error', error: error.toHrana() };
    throw error;
  }
}

async function respond(stream: Stream, request: StreamRequest): Promise<StreamResponse> {
  switch (request.type) {
    case 'close':
      stream.close();
      return { type: 'close' };
    case 'execute': {
      const sql = sqlText(stream, request.stmt.sql);
      return { type: 'execute', result: await executeStmt(stream.conn, sql, request.stmt) };
    }
    case 'batch':
      return { type: 'batch', result: await executeBatch(stream, request.steps) };
    case 'sequence':
      await executeSequence(stream.conn, sqlText(stream, request.sql));
      return { type: 'sequence' };
    case 'describe':
      return { type: 'describe', result: await describeStmt(stream.conn, sqlText(stream, request.sql)) };
    case 'store_sql':
      if (stream.sqls.has(request.sqlId)) {
        throw new ProtocolError(`SQL text ${request.sqlId} is already stored`);
      }
      if (stream.sqls.size >= MAX_STORED_SQL) {
        throw new RequestError('SQL_STORE_TOO_MANY', `The stream already stores ${MAX_STORED_SQL} SQL texts`);
      }
      stream.sqls.set(request.sqlId, request.sql);
      return { type: 'store_sql' };
    case 'close_sql':
      stream.sqls.delete(request.sqlId);
      return { type: 'close_sql' };
    case 'get_autocommit':
      return { type: 'get_autocommit', is_autocommit: !stream.conn.inTransaction };
  }
}

/**
 * Runs the steps in order; a step runs only if its condition holds on the outcomes of earlier steps.
 * A failing step does not stop the batch: `@libsql/client` relies on conditions to skip the rest
 * and to roll back.
 */
async function executeBatch(stream: Stream, steps: BatchStep[]): Promise<BatchResult> {
  // Resolve every text first, so that an unknown sql_id fails the request before any step has run.
  const resolved = steps.map((step) => ({ ...step, sql: sqlText(stream, step.stmt.sql) }));
  const result: BatchResult = { step_results: [], step_errors: [] };
  for (const { condition, stmt, sql } of resolved) {
    let stepResult: StmtResult | null = null;
    let stepError: HranaError | null = null;
    if (condition === undefined || holds(condition, result, stream)) {
      try {
        stepResult = await executeStmt(stream.conn, sql, stmt);
      } catch (error) {
        if (!(error instanceof RequestError)) throw error;
        stepError = error.toHrana();
      }
    }
    result.step_results.push(stepResult);
    result.step_errors.push(stepError);
  }
  return result;
}

function holds(cond: BatchCond, result: BatchResult, stream: Stream): boolean {
  switch (cond.type) {
    case 'ok':
      return result.step_results[cond.step] != null;
    case 'error':
      return result.step_errors[cond.step] != null;
    case 'not':
      return !holds(cond.cond, result, stream);
    case 'and':
      return cond.conds.every((inner) => holds(inner, result, stream));
    case 'or':
      return cond.conds.some((inner) => holds(inner, result, stream));
    case 'is_autocommit':
      return !stream.conn.inTransaction;
  }
}

function sqlText(stream: Stream, ref: SqlRef): string {
  if ('sql' in ref) return ref.sql;
  const sql = stream.sqls.get(ref.sqlId);
  if (sql === undefined) throw new ProtocolError(`SQL text ${ref.sqlId} was never stored on this stream`);
  return sql;
}
