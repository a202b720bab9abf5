import type { InStatement } from '@libsql/client';
import { requestIdempotencyKeys, requests, sha256Hex, tenantDb } from '@wijkteams/db';
import type { CoverageIndex } from '@wijkteams/lookup';
import { addHours } from '@wijkteams/time';
import { and, eq, gte } from 'drizzle-orm';
import type { IntakeContext } from './context.ts';
import { decryptText, encryptText } from './crypto.ts';

/** How long an intake `Idempotency-Key` is remembered: long enough for any retry, short enough to stay small. */
export const IDEMPOTENCY_WINDOW_HOURS = 24;

/** One caller's key for one body: `scope` keeps callers apart (`key:<keyId>`, or `resident`). */
export interface IntakeClaim {
  scope: string;
  keyHash: string;
  bodyHash: string;
}

export interface Receipt {
  ok: true;
  reference: string;
  status: 'received';
  team: { id: string; name: string };
  statusToken: string;
  routedToDefault: boolean;
  slaDueAt: string;
}

export function intakeClaim(scope: string, idempotencyKey: string, input: unknown): IntakeClaim {
  return { scope, keyHash: sha256Hex(idempotencyKey), bodyHash: sha256Hex(canonicalJson(input)) };
}

/**
 * What an earlier request with this key answered: its receipt for the same body, `conflict` for
 * another body, undefined when the key is new (or older than the window).
 */
export async function earlierReceipt(
  ctx: IntakeContext,
  claim: IntakeClaim,
  coverage: CoverageIndex,
): Promise<Receipt | 'conflict' | undefined> {
  const since = addHours(ctx.clock(), -IDEMPOTENCY_WINDOW_HOURS).toISOString();
  const db = tenantDb(ctx.db);
  const row = await db
    .select()
    .from(requestIdempotencyKeys)
    .where(
      and(
        eq(requestIdempotencyKeys.scope, claim.scope),
        eq(requestIdempotencyKeys.keyHash, claim.keyHash),
        gte(requestIdempotencyKeys.createdAt, since),
      ),
    )
    .get();
  if (!row) return undefined;
  if (row.bodyHash !== claim.bodyHash) return 'conflict';
  const request = await db.select().from(requests).where(eq(requests.id, row.requestId)).get();
  if (!request) throw new Error('An intake idempotency record names a request that is gone');
  const statusToken = await decryptText(ctx.encryptionKey, row.statusTokenCt, `${row.requestId}:idempotency`);
  return {
    ok: true,
    reference: request.reference,
    // The first answer, replayed: it said `received`.
    status: 'received',
    team: { id: request.teamId, name: coverage.team(request.teamId)?.name ?? '' },
    statusToken,
    routedToDefault: request.routedToDefault,
    slaDueAt: request.slaDueAt,
  };
}

/**
 * For the intake's write batch: forgets an expired record of the key, then records this one. A live
 * record of the key makes the insert, and so the whole batch, fail (`isClaimTaken`): two requests
 * racing with one key store one request.
 */
export async function claimStatements(
  ctx: IntakeContext,
  claim: IntakeClaim,
  requestId: string,
  statusToken: string,
  at: Date,
): Promise<InStatement[]> {
  const since = addHours(at, -IDEMPOTENCY_WINDOW_HOURS).toISOString();
  const statusTokenCt = await encryptText(ctx.encryptionKey, statusToken, `${requestId}:idempotency`);
  return [
    {
      sql: 'DELETE FROM request_idempotency_keys WHERE scope = ? AND key_hash = ? AND created_at < ?',
      args: [claim.scope, claim.keyHash, since],
    },
    {
      sql: `INSERT INTO request_idempotency_keys (scope, key_hash, body_hash, request_id, status_token_ct, created_at)
            VALUES (?, ?, ?, ?, ?, ?)`,
      args: [claim.scope, claim.keyHash, claim.bodyHash, requestId, statusTokenCt, at.toISOString()],
    },
  ];
}

/** The batch failed because another request recorded the same key first. */
export const isClaimTaken = (error: unknown): boolean =>
  error instanceof Error &&
  /UNIQUE constraint failed: request_idempotency_keys\./.test(
    `${error.message} ${String(error.cause ?? '')}`,
  );

/** Records older than the window, for retention. */
export const forgetExpiredClaims = (now: Date): InStatement => ({
  sql: 'DELETE FROM request_idempotency_keys WHERE created_at < ?',
  args: [addHours(now, -IDEMPOTENCY_WINDOW_HOURS).toISOString()],
});

/** JSON with object keys sorted, so that the same body sent with its fields in another order is the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
