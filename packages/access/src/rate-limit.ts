import { LRUCache } from 'lru-cache';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until one more request would be let through (allowed: until the current window ends). */
  resetSeconds: number;
}

interface Bucket {
  /** Start of the current fixed window. */
  start: number;
  current: number;
  previous: number;
}

/**
 * Sliding-window counters per bucket (a key, or a client IP). The count for "the last minute" is the
 * current window's plus the previous window's, weighted by the share of it that still lies inside
 * the last minute (the estimate Cloudflare's own limiter uses). A burst at the end of one window is
 * still counted at the start of the next, so what fixed windows let through, twice the limit across
 * an edge, is refused. In any span of `d` ms at most `limit · (1 + d / windowMs)` requests pass.
 *
 * Buckets are kept least-recently-used first, at most `maxBuckets`: when full, the bucket unused the
 * longest goes, never all of them. In a Worker each isolate counts on its own, cheaply and with no
 * round trip; across the edge the limit is a multiple of this one (see the Workers rate-limit binding).
 */
export class SlidingWindowLimiter {
  readonly #buckets: LRUCache<string, Bucket>;

  constructor(
    readonly windowMs = 60_000,
    readonly maxBuckets = 50_000,
  ) {
    this.#buckets = new LRUCache({ max: maxBuckets });
  }

  /** Counts one request if it is within the limit. */
  take(bucket: string, limit: number, now = Date.now()): RateDecision {
    return this.#decide(bucket, limit, now, true);
  }

  /** Whether one more request would be let through, without counting it. */
  peek(bucket: string, limit: number, now = Date.now()): RateDecision {
    return this.#decide(bucket, limit, now, false);
  }

  /** Gives back a request that was counted but turned out to cost nothing (a cache hit, say). */
  refund(bucket: string, now = Date.now()): void {
    const state = this.#buckets.get(bucket);
    if (state && now - state.start < this.windowMs && state.current > 0) state.current--;
  }

  /** Counts a bucket as full for the rest of its window (another limiter said so). */
  exhaust(bucket: string, limit: number, now = Date.now()): void {
    this.#decide(bucket, limit, now, true);
    const state = this.#buckets.get(bucket);
    if (state) state.current = Math.max(state.current, limit);
  }

  /** How many buckets are kept (for tests and the benchmark). */
  get size(): number {
    return this.#buckets.size;
  }

  #decide(bucket: string, limit: number, now: number, count: boolean): RateDecision {
    const start = now - (now % this.windowMs);
    let state = this.#buckets.get(bucket);
    if (!state) {
      state = { start, current: 0, previous: 0 };
      if (count) this.#buckets.set(bucket, state);
    } else if (state.start !== start) {
      const previous = start - state.start === this.windowMs ? state.current : 0;
      state = { start, current: 0, previous };
      this.#buckets.set(bucket, state);
    }
    const weight = (this.windowMs - (now - start)) / this.windowMs;
    const used = state.previous * weight + state.current;
    const allowed = used + 1 <= limit;
    if (allowed && count) state.current++;
    const after = state.previous * weight + state.current;
    return {
      allowed,
      limit,
      remaining: Math.max(0, Math.floor(limit - after)),
      resetSeconds: Math.max(1, Math.ceil(this.#msUntilRoom(state, limit, now) / 1000)),
    };
  }

  /** When the estimate will leave room for one more request: now, in this window, or in the next. */
  #msUntilRoom(state: Bucket, limit: number, now: number): number {
    const untilWindowEnd = state.start + this.windowMs - now;
    const room = limit - 1 - state.current;
    if (room >= 0) {
      if (state.previous <= room) return untilWindowEnd;
      // previous · (windowMs − elapsed) / windowMs ≤ room
      const elapsed = this.windowMs * (1 - room / state.previous);
      return Math.max(0, state.start + elapsed - now);
    }
    // Next window: this window's count becomes the previous one.
    const elapsed = this.windowMs * (1 - (limit - 1) / state.current);
    return untilWindowEnd + Math.max(0, elapsed);
  }
}
