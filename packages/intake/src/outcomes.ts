import type { RequestStatus } from '@wijkteams/db';
import type { InvalidParam } from './context.ts';

/** Where a request stands after a step: anonymous, fit for any caller allowed to move it. */
export interface RequestState {
  reference: string;
  status: RequestStatus;
  tier: string | null;
  providerId: string | null;
  statusChangedAt: string;
}

export type NotFound = { ok: false; reason: 'not-found' };
export type IllegalTransition = {
  ok: false;
  reason: 'illegal-transition';
  from: RequestStatus;
  to: RequestStatus;
};
/** The request kept changing under concurrent writers; the caller may try again. */
export type Conflict = { ok: false; reason: 'conflict' };
export type InvalidInput = { ok: false; reason: 'invalid-input'; invalidParams: InvalidParam[] };

export type MoveOutcome = { ok: true; request: RequestState } | NotFound | IllegalTransition | Conflict;
