import { constantTimeEqual, type RequestStatus, requests, sha256Hex, tenantDb } from '@wijkteams/db';
import { eq } from 'drizzle-orm';
import type { IntakeContext } from './context.ts';
import { isReference } from './reference.ts';
import { type TransitionOutcome, transition } from './transition.ts';

/** What the submitter sees with their status token: the status and dates, nothing personal. */
export interface PublicStatus {
  reference: string;
  status: RequestStatus;
  receivedAt: string;
  lastChangedAt: string;
  slaDueAt: string;
}

export type PublicStatusOutcome = { ok: true; status: PublicStatus } | { ok: false; reason: 'not-found' };

// Compared against when the reference is unknown, so that both answers take the same work.
const NO_HASH = '0'.repeat(64);

/** The status for the holder of the token. A wrong token and an unknown reference answer alike. */
export async function publicStatus(
  ctx: IntakeContext,
  reference: string,
  token: string,
): Promise<PublicStatusOutcome> {
  const row = await tokenHolderRow(ctx, reference, token);
  if (!row) return { ok: false, reason: 'not-found' };
  return {
    ok: true,
    status: {
      reference: row.reference,
      status: row.status,
      receivedAt: row.receivedAt,
      lastChangedAt: row.statusChangedAt,
      slaDueAt: row.slaDueAt,
    },
  };
}

/** The resident withdraws their own request, proving it is theirs with the status token. */
export async function cancelWithToken(
  ctx: IntakeContext,
  reference: string,
  token: string,
): Promise<TransitionOutcome> {
  if (!(await tokenHolderRow(ctx, reference, token))) return { ok: false, reason: 'not-found' };
  return transition(ctx, reference, 'cancelled', 'resident');
}

async function tokenHolderRow(ctx: IntakeContext, reference: string, token: string) {
  const presented = sha256Hex(token);
  const row = isReference(reference)
    ? await tenantDb(ctx.db)
        .select({
          reference: requests.reference,
          status: requests.status,
          receivedAt: requests.receivedAt,
          statusChangedAt: requests.statusChangedAt,
          slaDueAt: requests.slaDueAt,
          statusTokenHash: requests.statusTokenHash,
        })
        .from(requests)
        .where(eq(requests.reference, reference))
        .get()
    : undefined;
  const matches = constantTimeEqual(presented, row?.statusTokenHash ?? NO_HASH);
  return row?.statusTokenHash && matches ? row : undefined;
}
