import type { InStatement } from '@libsql/client';
import { type HelpRequest, requests, tenantDb } from '@wijkteams/db';
import { addDutchDays } from '@wijkteams/time';
import { and, eq, isNotNull, isNull, lte, or } from 'drizzle-orm';
import type { Actor, IntakeContext } from './context.ts';
import { forgetExpiredClaims } from './idempotency.ts';
import { auditStatement, loadRequest } from './store.ts';

export interface RetentionPolicy {
  now: Date;
  /** Closed requests keep their personal data this many days after closing. */
  anonymiseClosedAfterDays: number;
  /** Requests withdrawn before anyone decided on them are deleted after this many days (6 weeks). */
  deleteWithdrawnAfterDays?: number;
}

const BATCH = 200;

/**
 * Data minimisation on a schedule. Personal data (description, contact details, notes, the status
 * token) of closed requests is removed after `anonymiseClosedAfterDays`; so is that of requests
 * cancelled after triage, which were decided on and so count in the statistics. Requests cancelled
 * before triage are deleted outright after `deleteWithdrawnAfterDays`. Each request is handled by a
 * guarded write, so running it twice, or twice at once, changes nothing the second time. At most
 * 200 of each kind per run: a schedule that runs it again until both counts are 0 catches up.
 */
export async function applyRetention(
  ctx: IntakeContext,
  policy: RetentionPolicy,
): Promise<{ anonymised: number; deleted: number }> {
  const anonymiseBefore = addDutchDays(policy.now, -policy.anonymiseClosedAfterDays).toISOString();
  const deleteBefore = addDutchDays(policy.now, -(policy.deleteWithdrawnAfterDays ?? 42)).toISOString();
  const db = tenantDb(ctx.db);
  // Intake Idempotency-Keys older than their window: each holds a status token (encrypted).
  await ctx.db.execute(forgetExpiredClaims(policy.now));
  const [toAnonymise, toDelete] = await db.batch([
    db
      .select()
      .from(requests)
      .where(
        and(
          isNull(requests.anonymisedAt),
          or(
            and(eq(requests.status, 'closed'), lte(requests.closedAt, anonymiseBefore)),
            and(
              eq(requests.status, 'cancelled'),
              isNotNull(requests.triagedAt),
              lte(requests.cancelledAt, anonymiseBefore),
            ),
          ),
        ),
      )
      .limit(BATCH),
    db
      .select()
      .from(requests)
      .where(
        and(
          eq(requests.status, 'cancelled'),
          isNull(requests.triagedAt),
          lte(requests.cancelledAt, deleteBefore),
        ),
      )
      .limit(BATCH),
  ]);
  if (toAnonymise.length + toDelete.length === 0) return { anonymised: 0, deleted: 0 };

  const at = policy.now;
  const statements = [
    ...toAnonymise.flatMap((r) =>
      anonymiseStatements(ctx, r, 'system', 'request.anonymised', at, 'retention'),
    ),
    ...toDelete.flatMap((r) => deleteStatements(ctx, r, at)),
  ];
  const results = await ctx.db.batch(statements, 'write');
  // The guarded statement of each request says whether this run did it.
  const anonymised = toAnonymise.filter((_, i) => results[i * ANONYMISE_STEPS]?.rowsAffected === 1).length;
  const offset = toAnonymise.length * ANONYMISE_STEPS;
  const deleted = toDelete.filter(
    (_, i) => results[offset + i * DELETE_STEPS + 1]?.rowsAffected === 1,
  ).length;
  return { anonymised, deleted };
}

export type EraseOutcome =
  | { ok: true; reference: string; erasedAt: string; alreadyErased: boolean }
  | { ok: false; reason: 'not-found' };

/**
 * Erasure on request (AVG art. 17): the personal data goes, the anonymous statistics stay
 * (category, team, area, tier, dates, status, history without notes). Erasing again is harmless.
 */
export async function eraseRequest(
  ctx: IntakeContext,
  reference: string,
  actor: Actor,
): Promise<EraseOutcome> {
  const request = await loadRequest(ctx, reference);
  if (!request) return { ok: false, reason: 'not-found' };
  if (request.anonymisedAt) {
    return { ok: true, reference, erasedAt: request.anonymisedAt, alreadyErased: true };
  }
  const at = ctx.clock();
  const [update] = await ctx.db.batch(
    anonymiseStatements(ctx, request, actor, 'request.erased', at),
    'write',
  );
  if (update?.rowsAffected !== 1) {
    // Anonymised in the meantime (by retention): the outcome is the same.
    const now = await loadRequest(ctx, reference);
    return { ok: true, reference, erasedAt: now?.anonymisedAt ?? at.toISOString(), alreadyErased: true };
  }
  return { ok: true, reference, erasedAt: at.toISOString(), alreadyErased: false };
}

const OUTBOX_STEPS = 3;
const ANONYMISE_STEPS = 4 + OUTBOX_STEPS;
const DELETE_STEPS = 3 + OUTBOX_STEPS;

function anonymiseStatements(
  ctx: IntakeContext,
  request: HelpRequest,
  actor: Actor,
  action: 'request.anonymised' | 'request.erased',
  at: Date,
  origin?: string,
): InStatement[] {
  return [
    {
      sql: `UPDATE requests SET description_ct = NULL, contact_ct = NULL, status_token_hash = NULL,
              anonymised_at = ?, version = version + 1
            WHERE id = ? AND anonymised_at IS NULL`,
      args: [at.toISOString(), request.id],
    },
    auditStatement(
      ctx,
      { actor, action, reference: request.reference, result: 'success', at, ...(origin ? { origin } : {}) },
      true,
    ),
    {
      sql: 'UPDATE request_events SET note_ct = NULL WHERE request_id = ? AND note_ct IS NOT NULL',
      args: [request.id],
    },
    // A retry's receipt would show the status token again.
    { sql: 'DELETE FROM request_idempotency_keys WHERE request_id = ?', args: [request.id] },
    ...outboxStatements(request),
  ];
}

function deleteStatements(ctx: IntakeContext, request: HelpRequest, at: Date): InStatement[] {
  const stillWithdrawn = `status = 'cancelled' AND triaged_at IS NULL`;
  return [
    {
      sql: `DELETE FROM request_events WHERE request_id = ?
              AND EXISTS (SELECT 1 FROM requests WHERE id = ? AND ${stillWithdrawn})`,
      args: [request.id, request.id],
    },
    { sql: `DELETE FROM requests WHERE id = ? AND ${stillWithdrawn}`, args: [request.id] },
    auditStatement(
      ctx,
      {
        actor: 'system',
        action: 'request.deleted',
        reference: request.reference,
        result: 'success',
        at,
        origin: 'retention',
      },
      true,
    ),
    ...outboxStatements(request),
  ];
}

/**
 * What the outbox holds of a request goes with its personal data: its events, their webhook
 * deliveries and its messages (with any address or text not yet sent).
 */
function outboxStatements(request: HelpRequest): InStatement[] {
  return [
    {
      sql: `DELETE FROM webhook_deliveries WHERE event_id IN (SELECT id FROM outbox_events WHERE request_id = ?)`,
      args: [request.id],
    },
    { sql: 'DELETE FROM messages WHERE reference = ?', args: [request.reference] },
    { sql: 'DELETE FROM outbox_events WHERE request_id = ?', args: [request.id] },
  ];
}
