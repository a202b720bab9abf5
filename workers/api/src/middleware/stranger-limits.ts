import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';
import { ApiError } from '../errors.ts';

/** A 429 problem with the headers that tell a client when to come back. */
export function rateLimited(
  decision: { limit: number; resetSeconds: number },
  detail = `At most ${decision.limit} requests per minute; try again later`,
): ApiError {
  return new ApiError('rate-limited', detail, {
    headers: { 'Retry-After': String(decision.resetSeconds), 'RateLimit-Remaining': '0' },
  });
}

/**
 * Strangers pay before the database does. A slug or key this isolate does not remember costs a
 * control-plane query; each client IP may cause `lookupRateLimitPerMinute` of those per isolate,
 * paid before the query. A lookup that finds a real tenant or key gets its turn back (`settle(true)`),
 * so known callers never run out. A lookup that finds nothing is also counted by the Workers
 * rate-limiting binding where one is configured; when that says the client is over its edge-wide
 * budget, the isolate refuses it for the rest of the window without asking again.
 */
export async function payForLookup(
  c: Context<AppEnv>,
): Promise<{ settle: (found: boolean) => Promise<void> }> {
  const runtime = c.get('runtime');
  const { lookups, edgeLookups } = runtime.limits;
  const bucket = `lookup:${runtime.clientIp(c)}`;
  const limit = runtime.config.lookupRateLimitPerMinute;
  const decision = lookups.take(bucket, limit);
  if (!decision.allowed) throw rateLimited(decision, TOO_MANY_LOOKUPS);
  return {
    settle: async (found) => {
      if (found) return lookups.refund(bucket);
      if (!edgeLookups) return;
      // A binding that cannot be reached does not lock anyone out: the isolate's count still holds.
      const edge = await edgeLookups.limit({ key: bucket }).catch(() => ({ success: true }));
      if (!edge.success) lookups.exhaust(bucket, limit);
    },
  };
}

const TOO_MANY_LOOKUPS = 'Too many unknown municipalities or keys from here; try again later';

const authBucket = (c: Context<AppEnv>) => `auth:${c.get('runtime').clientIp(c)}`;

/**
 * Refuses a client IP that failed to authenticate `authFailureLimitPerMinute` times, before its key
 * is looked at: guessing keys costs the guesser, not the control plane.
 */
export function refuseAfterFailures(c: Context<AppEnv>): void {
  const runtime = c.get('runtime');
  const decision = runtime.limits.authFailures.peek(authBucket(c), runtime.config.authFailureLimitPerMinute);
  if (!decision.allowed) {
    throw rateLimited(decision, 'Too many failed authentications from here; try again later');
  }
}

/** Counts a failed authentication of this client IP. */
export function recordAuthFailure(c: Context<AppEnv>): void {
  const runtime = c.get('runtime');
  runtime.limits.authFailures.take(authBucket(c), runtime.config.authFailureLimitPerMinute);
}
