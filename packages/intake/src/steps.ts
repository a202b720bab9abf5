import type { HelpRequest, RequestStatus } from '@wijkteams/db';
import type { Actor, IntakeContext } from './context.ts';
import type { Conflict, IllegalTransition, NotFound, RequestState } from './outcomes.ts';
import { isReference } from './reference.ts';
import { appendAudit, type StatusChange } from './store.ts';

export function stateAfter(request: HelpRequest, change: StatusChange): RequestState {
  const set = change.set ?? {};
  return {
    reference: request.reference,
    status: change.to,
    tier: 'tier' in set ? (set.tier ?? null) : request.tier,
    providerId: 'providerId' in set ? (set.providerId ?? null) : request.providerId,
    statusChangedAt: change.at.toISOString(),
  };
}

/** An attempt on a reference that names no request; audited, since it may be someone probing. */
export async function notFound(ctx: IntakeContext, reference: string, actor: Actor): Promise<NotFound> {
  // Only a well-formed reference is worth a row: anything else cannot name a request.
  if (isReference(reference)) {
    await appendAudit(ctx, {
      actor,
      action: 'request.transition',
      reference,
      result: 'not-found',
      at: ctx.clock(),
    });
  }
  return { ok: false, reason: 'not-found' };
}

/** A step the status flow does not allow; audited as denied. */
export async function illegal(
  ctx: IntakeContext,
  request: HelpRequest,
  to: RequestStatus,
  actor: Actor,
): Promise<IllegalTransition> {
  await appendAudit(ctx, {
    actor,
    action: 'request.transition',
    reference: request.reference,
    result: 'denied',
    at: ctx.clock(),
    detail: `${request.status}->${to}`,
  });
  return { ok: false, reason: 'illegal-transition', from: request.status, to };
}

export const conflict = (): Conflict => ({ ok: false, reason: 'conflict' });
