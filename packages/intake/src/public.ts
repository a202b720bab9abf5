import {
  constantTimeEqual,
  type HelpRequest,
  type RequestStatus,
  requestEvents,
  sha256Hex,
  teams,
  tenantDb,
} from '@wijkteams/db';
import { asc, eq } from 'drizzle-orm';
import type { Actor, IntakeContext } from './context.ts';
import { newStatusToken } from './crypto.ts';
import type { Conflict, NotFound } from './outcomes.ts';
import { isReference } from './reference.ts';
import { conflict } from './steps.ts';
import { applyChange, auditStatement, loadRequest, MAX_ATTEMPTS, type StatusChange } from './store.ts';

/**
 * What the submitter sees with their status token: the status and its dates, and the team that
 * has the request (its contact details are public); nothing personal.
 */
export interface PublicStatus {
  reference: string;
  status: RequestStatus;
  receivedAt: string;
  lastChangedAt: string;
  slaDueAt: string;
  team: { id: string; name: string };
  /** Every status the request has had, oldest first: statuses and moments only. */
  timeline: { status: RequestStatus; at: string }[];
  /** Whether the resident may still withdraw it (`POST …/withdrawal`). */
  withdrawable: boolean;
}

export type PublicStatusOutcome = { ok: true; status: PublicStatus } | NotFound;

/** Until someone has accepted the request, the resident may withdraw it; after that, the team decides. */
export const WITHDRAWABLE: readonly RequestStatus[] = ['received', 'triaged', 'offered'];

export type WithdrawOutcome =
  | { ok: true; status: PublicStatus }
  | NotFound
  /** Accepted, under way or finished: withdrawing is a matter for the team now. */
  | { ok: false; reason: 'too-late'; status: RequestStatus }
  | Conflict;

// Compared against when the reference is unknown, so that both answers take the same work.
const NO_HASH = '0'.repeat(64);

/** The status for the holder of the token. A wrong token and an unknown reference answer alike. */
export async function publicStatus(
  ctx: IntakeContext,
  reference: string,
  token: string,
): Promise<PublicStatusOutcome> {
  const request = await tokenHolderRequest(ctx, reference, token);
  if (!request) return { ok: false, reason: 'not-found' };
  return { ok: true, status: await present(ctx, request) };
}

/**
 * The resident withdraws their own request, proving it is theirs with the status token: a step to
 * `cancelled` like any other (history, audit and whatever else a status change writes), guarded so
 * that a request accepted meanwhile is not withdrawn. Withdrawing again answers as the first time.
 */
export async function withdrawWithToken(
  ctx: IntakeContext,
  reference: string,
  token: string,
): Promise<WithdrawOutcome> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const request = await tokenHolderRequest(ctx, reference, token);
    if (!request) return { ok: false, reason: 'not-found' };
    if (request.status === 'cancelled') return { ok: true, status: await present(ctx, request) };
    if (!WITHDRAWABLE.includes(request.status)) {
      return { ok: false, reason: 'too-late', status: request.status };
    }
    const at = ctx.clock();
    const change: StatusChange = {
      to: 'cancelled',
      actor: 'resident',
      at,
      set: { cancelledAt: at.toISOString() },
    };
    if (await applyChange(ctx, request, change)) {
      const after = await loadRequest(ctx, reference);
      if (after) return { ok: true, status: await present(ctx, after) };
    }
  }
  return conflict();
}

export type NewStatusTokenOutcome =
  | { ok: true; reference: string; statusToken: string }
  | NotFound
  /** Its personal data is erased: there is nobody left to send a link to. */
  | { ok: false; reason: 'erased' };

/**
 * A new status token for a resident who lost their link, issued by the team: the old link stops
 * working (and so does a retry of the intake that replays it). Shown once; only its SHA-256 is kept.
 */
export async function issueStatusToken(
  ctx: IntakeContext,
  reference: string,
  actor: Actor,
): Promise<NewStatusTokenOutcome> {
  const request = await loadRequest(ctx, reference);
  if (!request) return { ok: false, reason: 'not-found' };
  if (request.anonymisedAt) return { ok: false, reason: 'erased' };
  const statusToken = newStatusToken();
  const at = ctx.clock();
  const [update] = await ctx.db.batch(
    [
      {
        sql: 'UPDATE requests SET status_token_hash = ? WHERE id = ? AND anonymised_at IS NULL',
        args: [sha256Hex(statusToken), request.id],
      },
      auditStatement(
        ctx,
        { actor, action: 'request.status-token-issued', reference, result: 'success', at },
        true,
      ),
      { sql: 'DELETE FROM request_idempotency_keys WHERE request_id = ?', args: [request.id] },
    ],
    'write',
  );
  if (update?.rowsAffected !== 1) return { ok: false, reason: 'erased' };
  return { ok: true, reference, statusToken };
}

async function present(ctx: IntakeContext, request: HelpRequest): Promise<PublicStatus> {
  const db = tenantDb(ctx.db);
  const [team, steps] = await db.batch([
    db.select({ name: teams.name }).from(teams).where(eq(teams.id, request.teamId)),
    db
      .select({ status: requestEvents.toStatus, at: requestEvents.at })
      .from(requestEvents)
      .where(eq(requestEvents.requestId, request.id))
      .orderBy(asc(requestEvents.id)),
  ]);
  return {
    reference: request.reference,
    status: request.status,
    receivedAt: request.receivedAt,
    lastChangedAt: request.statusChangedAt,
    slaDueAt: request.slaDueAt,
    team: { id: request.teamId, name: team[0]?.name ?? '' },
    timeline: steps,
    withdrawable: WITHDRAWABLE.includes(request.status),
  };
}

async function tokenHolderRequest(
  ctx: IntakeContext,
  reference: string,
  token: string,
): Promise<HelpRequest | undefined> {
  const presented = sha256Hex(token);
  const request = isReference(reference) ? await loadRequest(ctx, reference) : undefined;
  const matches = constantTimeEqual(presented, request?.statusTokenHash ?? NO_HASH);
  return request?.statusTokenHash && matches ? request : undefined;
}
