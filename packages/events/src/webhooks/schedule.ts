/**
 * Standard Webhooks' recommended schedule: at once, then after 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h, 14 h, 20 h and 24 h; ten attempts over a little more than three days.
 */
export const RETRY_DELAYS_MS = [
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  14 * 3_600_000,
  20 * 3_600_000,
  24 * 3_600_000,
] as const;

export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length;
/** Never wait longer than this for a Retry-After. */
const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/**
 * When attempt `attempts + 1` is due after `attempts` failed ones; undefined when none is left.
 * Up to 10% jitter spreads retries of many deliveries that failed together; a receiver's
 * Retry-After (429, 503) is honoured where it asks for longer.
 */
export function nextAttemptAt(
  now: Date,
  attempts: number,
  options: { retryAfterMs?: number; random?: () => number } = {},
): Date | undefined {
  const delay = RETRY_DELAYS_MS[attempts];
  if (delay === undefined) return undefined;
  const jitter = delay * 0.1 * (options.random ?? Math.random)();
  const asked = Math.min(options.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS);
  return new Date(now.getTime() + Math.max(delay + jitter, asked));
}

/** How long a claimed attempt may take before another sender may try again (15 s timeout + margin). */
export const CLAIM_MS = 60_000;
export const ATTEMPT_TIMEOUT_MS = 15_000;

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds from now. */
export function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
