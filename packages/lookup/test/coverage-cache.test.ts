import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, migrations, type TenantDb, tenantDb } from '@wijkteams/db';
import { createNodeClient } from '@wijkteams/db/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CoverageCache,
  estimatedIndexBytes,
  loadCoverage,
  parsePostcode,
  replaceCoverage,
} from '../src/index.ts';

let dataDir: string;
const clients: { close(): void }[] = [];
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'wt-coverage-cache-'));
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A tenant database with one team serving `pc4s`, and a counter of how often the cache opened it. */
async function tenant(name: string, pc4s: string[]) {
  const client = createNodeClient({ url: `file:${name}.db` }, { dataDir, create: true });
  clients.push(client);
  await applyMigrations(client, migrations.tenant);
  await client.batch([
    { sql: "INSERT INTO teams (id, name, kind) VALUES (?, ?, 'wij-team')", args: [`team_${name}`, name] },
    ...pc4s.map((pc4) => ({ sql: 'INSERT INTO areas (pc4, place) VALUES (?, ?)', args: [pc4, name] })),
    ...pc4s.map((pc4, i) => ({
      sql: "INSERT INTO coverage_rules (id, team_id, level, pc4) VALUES (?, ?, 'pc4', ?)",
      args: [`rule_${name}_${i}`, `team_${name}`, pc4],
    })),
  ]);
  const db = tenantDb(client);
  const opened = { count: 0 };
  const open = (): TenantDb => {
    opened.count++;
    return db;
  };
  return { db, open, opened };
}

const pc = (input: string) => {
  const parsed = parsePostcode(input);
  if (!parsed.ok) throw new Error(input);
  return parsed.postcode;
};
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => String(from + i));
const NOW = 1_000_000;
const RECHECK = 60_000;

describe('CoverageCache bounds', () => {
  it('keeps at most maxEntries indexes, drops the least recently used, and rebuilds it on its next lookup', async () => {
    const a = await tenant('a', ['1011']);
    const b = await tenant('b', ['2011']);
    const c = await tenant('c', ['3011']);
    const cache = new CoverageCache({ recheckMs: RECHECK, maxEntries: 2 });
    await cache.index('a', a.open, NOW);
    await cache.index('b', b.open, NOW);
    await cache.index('a', a.open, NOW); // a is now more recent than b
    expect(a.opened.count).toBe(1);

    await cache.index('c', c.open, NOW);
    expect(cache.usage.entries).toBe(2);

    // a and c stayed: served without opening the database; b was dropped and is loaded again.
    await cache.index('a', a.open, NOW);
    await cache.index('c', c.open, NOW);
    expect([a.opened.count, c.opened.count]).toEqual([1, 1]);
    const rebuilt = await cache.index('b', b.open, NOW);
    expect(b.opened.count).toBe(2);
    expect(rebuilt.resolve(pc('2011AB'), null, '2026-12-01')?.team.id).toBe('team_b');
  });

  it('keeps the estimated size of all indexes within maxBytes, evicting the oldest to make room', async () => {
    const small = await tenant('small', ['1011']);
    const large = await tenant('large', range(5000, 400));
    const smallBytes = estimatedIndexBytes(await loadCoverage(small.db));
    const largeBytes = estimatedIndexBytes(await loadCoverage(large.db));
    expect(largeBytes).toBeGreaterThan(10 * smallBytes);

    const cache = new CoverageCache({ recheckMs: RECHECK, maxBytes: largeBytes + smallBytes });
    await cache.index('small', small.open, NOW);
    await cache.index('large', large.open, NOW);
    expect(cache.usage).toEqual({ entries: 2, bytes: largeBytes + smallBytes });

    const other = await tenant('other', ['1012']);
    await cache.index('other', other.open, NOW);
    expect(cache.usage.bytes).toBeLessThanOrEqual(largeBytes + smallBytes);
    // `small` was the least recently used, and dropping it made room.
    await cache.index('large', large.open, NOW);
    expect(large.opened.count).toBe(1);
    await cache.index('small', small.open, NOW);
    expect(small.opened.count).toBe(2);
  });

  it('answers from an index larger than the whole bound without keeping it', async () => {
    const large = await tenant('large', range(5000, 400));
    const cache = new CoverageCache({ recheckMs: RECHECK, maxBytes: 10_000 });
    const index = await cache.index('large', large.open, NOW);
    expect(index.resolve(pc('5123AB'), null, '2026-12-01')?.team.id).toBe('team_large');
    expect(cache.usage).toEqual({ entries: 0, bytes: 0 });
  });

  it('never serves an evicted tenant’s old coverage: the rebuilt index has the change made meanwhile', async () => {
    const a = await tenant('a', ['1011', '1012']);
    const b = await tenant('b', ['2011']);
    const cache = new CoverageCache({ recheckMs: RECHECK, maxEntries: 1 });
    expect(
      (await cache.index('a', a.open, NOW)).resolve(pc('1011AB'), null, '2026-12-01')?.match.ruleId,
    ).toBe('rule_a_0');

    await cache.index('b', b.open, NOW); // a is evicted
    await replaceCoverage(a.db, [{ id: 'rule_new', teamId: 'team_a', level: 'pc4', pc4: '1012' }]);
    // Well within the recheck interval: a kept index would still be used, an evicted one is not.
    const after = await cache.index('a', a.open, NOW + 1);
    expect(after.resolve(pc('1011AB'), null, '2026-12-01')).toBeUndefined();
    expect(after.resolve(pc('1012AB'), null, '2026-12-01')?.match.ruleId).toBe('rule_new');
  });

  it('still rechecks the version of a kept index after recheckMs and rebuilds it when it moved', async () => {
    const a = await tenant('a', ['1011']);
    const cache = new CoverageCache({ recheckMs: RECHECK, maxEntries: 10 });
    const first = await cache.index('a', a.open, NOW);
    expect(await cache.index('a', a.open, NOW + RECHECK)).toBe(first); // version unchanged
    await replaceCoverage(a.db, []);
    const rebuilt = await cache.index('a', a.open, NOW + 2 * RECHECK);
    expect(rebuilt).not.toBe(first);
    expect(rebuilt.resolve(pc('1011AB'), null, '2026-12-01')).toBeUndefined();
  });
});
