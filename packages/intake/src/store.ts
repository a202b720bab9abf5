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
  set?: Partial<Record<keyof typeof MOVABLE, string | null>>;
  /** Recorded with the step; tier and provider default to where the request ends up. */
  event?: {
    tier?: string | null;
    providerId?: string | null;
    reason?: string | null;
    noteCt?: string | null;
  };
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
  ];
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
