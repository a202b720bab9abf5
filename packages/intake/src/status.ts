import type { RequestStatus } from '@wijkteams/db';

/**
 * The status flow. received → triaged → offered → accepted → in_progress → resolved → closed;
 * an offer declined or timed out goes back to `triaged` at the next tier, or to `referred` when the
 * ladder is exhausted; an open request can be cancelled by the resident or staff.
 */
export const TRANSITIONS: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = {
  received: ['triaged', 'referred', 'cancelled'],
  triaged: ['offered', 'referred', 'cancelled'],
  offered: ['accepted', 'triaged', 'referred', 'cancelled'],
  accepted: ['in_progress', 'cancelled'],
  in_progress: ['resolved', 'cancelled'],
  resolved: ['closed'],
  referred: ['closed'],
  closed: [],
  cancelled: [],
};

/** Someone still has to act on these: they count against the SLA and can be cancelled. */
export const OPEN_STATUSES = [
  'received',
  'triaged',
  'offered',
  'accepted',
  'in_progress',
] as const satisfies readonly RequestStatus[];

export function canTransition(from: RequestStatus, to: RequestStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isOpen(status: RequestStatus): boolean {
  return (OPEN_STATUSES as readonly RequestStatus[]).includes(status);
}
