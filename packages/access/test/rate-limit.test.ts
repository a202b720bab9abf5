import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyCache, SlidingWindowLimiter } from '../src/index.ts';

const MINUTE = 60_000;

describe('the sliding-window limiter', () => {
  it('lets the limit through in a minute, then refuses with the seconds until there is room', () => {
    const limiter = new SlidingWindowLimiter();
    const at = 10 * MINUTE;
    for (let i = 0; i < 5; i++) expect(limiter.take('k', 5, at).allowed).toBe(true);
    const refused = limiter.take('k', 5, at);
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    expect(refused.resetSeconds).toBeGreaterThanOrEqual(1);
    // 72 s: in the next window the five still count, weighted, until 12 s into it.
    expect(refused.resetSeconds).toBe(72);
    // Asked again when it said, there is room.
    expect(limiter.take('k', 5, at + refused.resetSeconds * 1000).allowed).toBe(true);
  });

  it('does not let twice the limit through across a window edge (a fixed window did)', () => {
    const limiter = new SlidingWindowLimiter();
    const edge = 10 * MINUTE;
    let admitted = 0;
    for (let i = 0; i < 100; i++) if (limiter.take('k', 100, edge - 1).allowed) admitted++;
    for (let i = 0; i < 100; i++) if (limiter.take('k', 100, edge + 1).allowed) admitted++;
    expect(admitted).toBe(100);
  });

  it('never lets more than limit · (1 + d / window) through in any span of d', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 3 * MINUTE }), { minLength: 1, maxLength: 300 }),
        (limit, times) => {
          const limiter = new SlidingWindowLimiter();
          const admitted = [...times]
            .sort((a, b) => a - b)
            .filter((t) => limiter.take('k', limit, 7 * MINUTE + t).allowed);
          for (let i = 0; i < admitted.length; i++) {
            for (let j = i; j < admitted.length; j++) {
              const span = (admitted[j] as number) - (admitted[i] as number);
              if (span >= MINUTE) break;
              expect(j - i + 1).toBeLessThanOrEqual(Math.floor(limit * (1 + span / MINUTE)) + 1);
            }
          }
        },
      ),
    );
  });

  it('peek counts nothing; refund gives a request back', () => {
    const limiter = new SlidingWindowLimiter();
    expect(limiter.peek('k', 1, 0).allowed).toBe(true);
    expect(limiter.size).toBe(0);
    expect(limiter.take('k', 1, 0).allowed).toBe(true);
    expect(limiter.peek('k', 1, 1).allowed).toBe(false);
    limiter.refund('k', 2);
    expect(limiter.take('k', 1, 3).allowed).toBe(true);
  });

  it('keeps at most maxBuckets and drops the least recently used, not all of them', () => {
    const limiter = new SlidingWindowLimiter(MINUTE, 1_000);
    for (let i = 0; i < 3; i++) limiter.take('busy', 3, 0);
    for (let i = 0; i < 5_000; i++) {
      limiter.take(`ip-${i}`, 3, 0);
      if (i % 500 === 0) expect(limiter.peek('busy', 3, 0).allowed).toBe(false); // used, so kept
    }
    expect(limiter.size).toBe(1_000);
    expect(limiter.take('busy', 3, 0).allowed).toBe(false);
  });
});

describe('the key cache', () => {
  const key = { id: 'key_1', hash: 'h1' } as Parameters<KeyCache['lookup']>[0] extends (
    hash: string,
  ) => Promise<infer K>
    ? NonNullable<K>
    : never;

  it('keeps a key for its lifetime on a fake clock, an unknown hash for the shorter one', async () => {
    const start = 1_000_000;
    let now = start;
    const cache = new KeyCache(30_000, 5_000, 100, () => now);
    let loads = 0;
    const lookup = cache.lookup(async (hash) => {
      loads++;
      return hash === 'h1' ? key : undefined;
    });
    await lookup('h1');
    await lookup('nope');
    now = start + 4_999;
    await lookup('h1');
    await lookup('nope');
    expect(loads).toBe(2);
    now = start + 5_001;
    await lookup('nope');
    expect(loads).toBe(3);
    now = start + 29_999;
    await lookup('h1');
    expect(loads).toBe(3);
    now = start + 30_001;
    await lookup('h1');
    expect(loads).toBe(4);
  });

  it('does not let random hashes push known keys out', async () => {
    const cache = new KeyCache(30_000, 5_000, 100, () => 0);
    let loads = 0;
    const lookup = cache.lookup(async (hash) => {
      loads++;
      return hash === 'h1' ? key : undefined;
    });
    await lookup('h1');
    for (let i = 0; i < 1_000; i++) await lookup(`random-${i}`);
    loads = 0;
    expect(await lookup('h1')).toBe(key);
    expect(loads).toBe(0);
  });
});
