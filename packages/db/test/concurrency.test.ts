import { describe, expect, it } from 'vitest';
import { mapBounded } from '../src/index.ts';

/** A task that finishes only when the test says so, to observe how many run at once. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('mapBounded', () => {
  it('runs at most `limit` at once, starts the next as one finishes, and keeps the order of the items', async () => {
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    const run = mapBounded([0, 1, 2, 3, 4], 2, async (i) => {
      started.push(i);
      await gates[i]?.opened;
      return i * 10;
    });
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    gates[1]?.open(); // a slow first item does not hold the rest
    for (let i = 0; i < 5 && started.length < 3; i++) await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    expect(await run).toEqual([0, 10, 20, 30, 40]);
  });

  it('starts nothing new after a failure and rejects with it', async () => {
    const started: number[] = [];
    const run = mapBounded([0, 1, 2, 3], 1, async (i) => {
      started.push(i);
      if (i === 1) throw new Error('boom');
      return i;
    });
    await expect(run).rejects.toThrow('boom');
    expect(started).toEqual([0, 1]);
  });

  it('refuses a limit below one', async () => {
    await expect(mapBounded([1], 0, async (i) => i)).rejects.toThrow(RangeError);
  });
});
