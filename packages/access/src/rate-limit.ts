export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/**
 * Fixed-window counters per bucket (a key, or a client IP on a public route). In a Worker each
 * isolate counts on its own, so the effective limit across the edge is a multiple of this one;
 * it bounds abuse per isolate, cheaply, with no round trip.
 */
export class FixedWindowLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly windowMs = 60_000,
    readonly maxBuckets = 50_000,
  ) {}

  take(bucket: string, limit: number, now = Date.now()): RateDecision {
    const start = now - (now % this.windowMs);
    let window = this.#windows.get(bucket);
    if (!window || window.start !== start) {
      if (this.#windows.size >= this.maxBuckets) this.#windows.clear();
      window = { start, count: 0 };
      this.#windows.set(bucket, window);
    }
    window.count++;
    return {
      allowed: window.count <= limit,
      limit,
      remaining: Math.max(0, limit - window.count),
      resetSeconds: Math.ceil((start + this.windowMs - now) / 1000),
    };
  }
}
