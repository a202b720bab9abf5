import type { InStatement } from '@libsql/client';
import {
  type HelpRequest,
  newId,
  type RequestAuditAction,
  type RequestAuditResult,
  type RequestStatus,
  requests,
  tenantDb,
} from '@wijkteams/db';
import { eq } from 'drizzle-orm';
import { type Actor, type IntakeContext, originOf } from './context.ts';
import { isReference } from './reference.ts';

export async function loadRequest(ctx: IntakeContext, reference: string): Promise<HelpRequest | undefined> {
  if (!isReference(reference)) return undefined;
  return tenantDb(ctx.db).select().from(requests).where(eq(requests.reference, reference)).get();
}

export async function loadRequestById(ctx: IntakeContext, id: string): Promise<HelpRequest | undefined> {
  return tenantDb(ctx.db).select().from(requests).where(eq(requests.id, id)).get();
}

export interface AuditEntry {
  actor: Actor;
  action: RequestAuditAction;
  reference: string;
  result: RequestAuditResult;
  at: Date;
  detail?: string | null;
  origin?: string;
}

/**
 * An audit row. `onlyIfChanged` appends it only when the statement before it in the batch changed
 * a row, so a guarded write that lost a race leaves no claim behind.
 */
export function auditStatement(ctx: IntakeContext, entry: AuditEntry, onlyIfChanged = false): InStatement {
  return {
    sql: `INSERT INTO request_audit (id, at, actor, action, reference, result, origin, detail)
          SELECT ?, ?, ?, ?, ?, ?, ?, ?${onlyIfChanged ? ' WHERE changes() = 1' : ''}`,
    args: [
      newId('aud'),
      entry.at.toISOString(),
      entry.actor,
      entry.action,
      entry.reference,
      entry.result,
      entry.origin ?? originOf(ctx),
      entry.detail ?? null,
    ],
  };
}

export async function appendAudit(ctx: IntakeContext, entry: AuditEntry): Promise<void> {
  await ctx.db.execute(auditStatement(ctx, entry));
}

/** Columns that move with the status; named here so that no caller's string reaches the SQL. */
const MOVABLE = {
  tier: 'tier',
  providerId: 'provider_id',
  offeredAt: 'offered_at',
  triagedAt: 'triaged_at',
  resolvedAt: 'resolved_at',
  closedAt: 'closed_at',
  cancelledAt: 'cancelled_at',
} as const;

export interface StatusChange {
  to: RequestStatus;
  actor: Actor;
  at: Date;
  /** A new offer (for `offered`): its one-time link's token is only ever stored as a hash. */
  offer?: NewOffer;
  /** How an open offer was answered, for its record: `link`, `key`, `staff`, `system`. */
  via?: string;
  set?: Partial<Record<keyof typeof MOVABLE, string | null>>;
  /** Recorded with the step; tier and provider default to where the request ends up. */
  event?: {
    tier?: string | null;
    providerId?: string | null;
    reason?: string | null;
    noteCt?: string | null;
  };
}

export interface NewOffer {
  id: string;
  providerId: string;
  tokenHash: string;
  expiresAt: string;
  /** The token, AES-GCM under the tenant's key, for the provider's message only (`offerTokenBinding`). */
  tokenCt: string;
}

/** What becomes of a request's open offer when it leaves `offered` this way. */
function offerOutcome(change: StatusChange): string {
  if (change.to === 'accepted') return 'accepted';
  const reason = change.event?.reason ?? '';
  if (reason.startsWith('offer-expired')) return 'expired';
  if (reason.startsWith('declined')) return 'declined';
  return 'withdrawn';
}

/**
 * One step of a request as three statements: the guarded update (only if nobody changed the
 * request since it was read), its history row and its audit row, the last two only if the update
 * happened. Several steps can go in one write batch.
 */
export function changeStatements(
  ctx: IntakeContext,
  request: HelpRequest,
  change: StatusChange,
): InStatement[] {
  const at = change.at.toISOString();
  const set = change.set ?? {};
  const columns = Object.entries(set).map(([key, value]) => ({
    column: MOVABLE[key as keyof typeof MOVABLE],
    value: value ?? null,
  }));
  // Where the request ends up, unless the step records something else (the declining provider).
  const recorded = <K extends 'tier' | 'providerId'>(key: K): string | null => {
    const fromEvent = change.event?.[key];
    if (fromEvent !== undefined) return fromEvent;
    return key in set ? (set[key] ?? null) : request[key];
  };
  return [
    {
      sql: `UPDATE requests SET status = ?, status_changed_at = ?, version = version + 1${columns
        .map((c) => `, ${c.column} = ?`)
        .join('')} WHERE id = ? AND version = ?`,
      args: [change.to, at, ...columns.map((c) => c.value), request.id, request.version],
    },
    {
      sql: `INSERT INTO request_events (request_id, at, actor, from_status, to_status, tier, provider_id, reason, note_ct)
            SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE changes() = 1`,
      args: [
        request.id,
        at,
        change.actor,
        request.status,
        change.to,
        recorded('tier'),
        recorded('providerId'),
        change.event?.reason ?? null,
        change.event?.noteCt ?? null,
      ],
    },
    auditStatement(
      ctx,
      {
        actor: change.actor,
        action: 'request.transition',
        reference: request.reference,
        result: 'success',
        at: change.at,
        detail: `${request.status}->${change.to}`,
      },
      true,
    ),
    ...offerStatements(request, change),
  ];
}

/**
 * The offer rows that move with a step, guarded on the step having happened (the request is at the
 * version this step made): an open offer is closed as the step says, a new one is opened with its
 * token, and the token goes to the `offer.created` event the step wrote, for the provider's message.
 */
function offerStatements(request: HelpRequest, change: StatusChange): InStatement[] {
  const at = change.at.toISOString();
  const happened = 'EXISTS (SELECT 1 FROM requests WHERE id = ? AND version = ?)';
  const statements: InStatement[] = [];
  if (request.status === 'offered' && change.to !== 'offered') {
    statements.push({
      sql: `UPDATE offers SET status = ?, answered_at = ?, answered_via = ?
            WHERE request_id = ? AND status = 'open' AND ${happened}`,
      args: [offerOutcome(change), at, change.via ?? 'staff', request.id, request.id, request.version + 1],
    });
  }
  if (change.offer) {
    const { offer } = change;
    statements.push(
      {
        sql: `INSERT INTO offers (id, request_id, provider_id, token_hash, status, created_at, expires_at)
              SELECT ?, ?, ?, ?, 'open', ?, ? WHERE ${happened}`,
        args: [
          offer.id,
          request.id,
          offer.providerId,
          offer.tokenHash,
          at,
          offer.expiresAt,
          request.id,
          request.version + 1,
        ],
      },
      {
        sql: `UPDATE outbox_events SET secret_ct = ?
              WHERE request_id = ? AND type = 'offer.created' AND dispatched_at IS NULL AND secret_ct IS NULL`,
        args: [offer.tokenCt, request.id],
      },
    );
  }
  return statements;
}

/** Applies one step; false when the request changed since it was read (the caller reads again). */
export async function applyChange(
  ctx: IntakeContext,
  request: HelpRequest,
  change: StatusChange,
): Promise<boolean> {
  const [update] = await ctx.db.batch(changeStatements(ctx, request, change), 'write');
  return update?.rowsAffected === 1;
}

/** Tries a read-decide-write step a few times when concurrent changes keep beating it. */
export const MAX_ATTEMPTS = 3;
