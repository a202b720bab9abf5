import { type RequestStatus, textLines } from '@wijkteams/db';
import type { Actor, IntakeContext } from './context.ts';
import { encryptText } from './crypto.ts';
import { getLadder, nextTierChange } from './ladder.ts';
import type { InvalidInput, MoveOutcome } from './outcomes.ts';
import { canTransition } from './status.ts';
import { conflict, illegal, notFound, stateAfter } from './steps.ts';
import { applyChange, loadRequest, MAX_ATTEMPTS, type StatusChange } from './store.ts';

export const MAX_NOTE_LENGTH = 2000;
const NOTE = textLines(MAX_NOTE_LENGTH);

export type TransitionOutcome =
  | MoveOutcome
  /** `offered` names a provider: use `offerRequest`. */
  | { ok: false; reason: 'provider-required' }
  | InvalidInput;

/**
 * Moves a request along the status flow, for staff (and, for `cancelled`, the resident). Only the
 * allowed transitions happen; any other is answered with `illegal-transition` and audited as denied.
 * `received → triaged` puts it at the first tier of the ladder; `offered → triaged` is a decline on
 * the provider's behalf and so may end in `referred`; `offered → accepted` accepts the open offer.
 * The note is personal data as much as the description and is stored encrypted.
 */
export async function transition(
  ctx: IntakeContext,
  reference: string,
  to: RequestStatus,
  actor: Actor,
  note?: string,
): Promise<TransitionOutcome> {
  const checked = note === undefined ? undefined : NOTE.safeParse(note);
  if (checked && !checked.success) {
    return {
      ok: false,
      reason: 'invalid-input',
      invalidParams: [{ name: 'note', reason: checked.error.issues[0]?.message ?? 'Not a note' }],
    };
  }
  note = checked?.data;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const request = await loadRequest(ctx, reference);
    if (!request) return notFound(ctx, reference, actor);
    if (!canTransition(request.status, to)) return illegal(ctx, request, to, actor);
    if (to === 'offered') return { ok: false, reason: 'provider-required' };

    const at = ctx.clock();
    const noteCt =
      note === undefined ? null : await encryptText(ctx.encryptionKey, note, `${request.id}:note`);
    let change: StatusChange;
    if (request.status === 'offered' && to === 'triaged') {
      const decline = nextTierChange(await getLadder(ctx), request, actor, at, 'declined');
      change = { ...decline, event: { ...decline.event, noteCt } };
    } else {
      change = { to, actor, at, set: await stamps(ctx, to, at), event: { noteCt } };
    }
    if (await applyChange(ctx, request, change)) return { ok: true, request: stateAfter(request, change) };
  }
  return conflict();
}

/** What else a status sets: the tier on triage, the moment of each milestone. */
async function stamps(ctx: IntakeContext, to: RequestStatus, at: Date): Promise<StatusChange['set']> {
  const iso = at.toISOString();
  switch (to) {
    case 'triaged':
      return { tier: (await getLadder(ctx))[0]?.slug ?? null, triagedAt: iso };
    case 'resolved':
      return { resolvedAt: iso };
    case 'closed':
      return { closedAt: iso };
    case 'cancelled':
      return { cancelledAt: iso };
    default:
      return {};
  }
}
