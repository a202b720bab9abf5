import { DatabaseConfigError } from '@wijkteams/db';
import { LedgerInputError } from '@wijkteams/ledger';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './context.ts';
import { ApiError } from './errors.ts';
import type { LogRecord } from './log.ts';

const UNAVAILABLE_CODES = new Set(['SERVER_ERROR', 'SQLITE_BUSY', 'HRANA_CLOSED_ERROR', 'ECONNREFUSED']);

/** True for failures to reach a database (refused, timed out, busy), as opposed to bugs. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof DatabaseConfigError) return true;
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return true;
    if (e instanceof TypeError && /fetch|network/i.test(e.message)) return true;
    // workerd's fetch when the connection drops before the answer (a peer closing an idle one).
    if (e.message.startsWith('Network connection lost')) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  }
  return false;
}

const READ_ATTEMPTS = 3;

/**
 * A read that is tried again (at most three times in all) when its connection was lost on the way,
 * not when it timed out: the bound is the bound. Only for reads, which are safe to send twice: a
 * burst of redemptions in a fresh isolate sends each its own provider lookup at once, and a dropped
 * connection among them should not be a 503 for that redemption.
 */
export async function readWithRetries<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= READ_ATTEMPTS || !isConnectionLost(error)) throw error;
    }
  }
}

/** A database that could not be reached or dropped the connection, as opposed to one that timed out. */
export function isConnectionLost(error: unknown): boolean {
  return isDatabaseUnavailable(error) && !isTimeout(error);
}

function isTimeout(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return true;
  }
  return false;
}

/**
 * True when a database refused a request for its size (the Hrana endpoint's `BODY_TOO_LARGE`, an
 * HTTP 413): the change was too big for one request, which is not a fault of ours to report as 500.
 */
export function isDatabaseRequestTooLarge(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const { code, status } = e as { code?: unknown; status?: unknown };
    if (code === 'BODY_TOO_LARGE' || status === 413) return true;
    if (typeof code === 'string' && /TOO_LARGE|TOOBIG/.test(code)) return true;
  }
  return false;
}

/** Turns any error into an `ApiError`: the one place where failures become HTTP. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    if (error.status === 413) return new ApiError('payload-too-large', 'The request body is too large');
    if (error.status === 415) return new ApiError('unsupported-media-type', error.message);
    if (error.status === 400) {
      const reason = error.message || 'Malformed request';
      return new ApiError('validation-failed', reason, { invalidParams: [{ name: 'body', reason }] });
    }
    if (error.status === 401)
      return new ApiError('unauthorized', error.message || 'Authentication is required');
  }
  // The ledger checks its arguments again (a date in the past, say); a refusal there is the caller's.
  if (error instanceof LedgerInputError) {
    return new ApiError('validation-failed', 'The ledger refused an argument', {
      invalidParams: [{ name: `body.${error.field}`, reason: error.reason }],
    });
  }
  if (isDatabaseRequestTooLarge(error)) {
    return new ApiError('payload-too-large', 'This change is too large for the database to take at once');
  }
  if (isDatabaseUnavailable(error)) {
    return new ApiError('database-unavailable', 'A database did not answer in time; try again shortly');
  }
  return new ApiError('internal', 'Something went wrong on our side');
}

export function problemResponse(c: Context<AppEnv>, error: ApiError): Response {
  const headers: Record<string, string> = {
    'Content-Type': 'application/problem+json',
    ...error.extra.headers,
  };
  if (error.status === 401) headers['WWW-Authenticate'] = 'Bearer';
  if (error.status === 503) headers['Retry-After'] ??= '5';
  return c.body(JSON.stringify(error.toProblem()), error.status, headers);
}

/**
 * A log record of a server-side failure. Names and codes only: error messages can carry SQL
 * parameters, and with them personal data.
 */
export function describeFailure(
  error: unknown,
  apiError: ApiError,
  requestId: string | undefined,
): LogRecord {
  const chain: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    chain.push(typeof code === 'string' ? `${e.name}(${code})` : e.name);
  }
  return { level: apiError.status === 503 ? 'warn' : 'error', msg: apiError.code, requestId, errors: chain };
}
