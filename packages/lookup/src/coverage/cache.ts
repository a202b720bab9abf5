import type { TenantDb } from '@wijkteams/db';
import { LRUCache } from 'lru-cache';
import { coverageVersion, loadCoverage } from './load.ts';
import { CoverageIndex, type CoverageSnapshot } from './resolve.ts';

export interface CoverageCacheOptions {
  /** How long an index is used without asking the database whether its version moved. */
  recheckMs?: number;
  /** Bound on the estimated heap of all cached indexes together (`estimatedIndexBytes`). */
  maxBytes?: number;
  /** Bound on the number of tenants with a cached index. */
  maxEntries?: number;
}

/** Room for the indexes of every municipality with ordinary coverage, or one at the import maximum. */
export const DEFAULT_COVERAGE_CACHE_BYTES = 24 * 1024 * 1024;
export const DEFAULT_COVERAGE_CACHE_ENTRIES = 1_000;

interface Entry {
  index: CoverageIndex;
  checkedAt: number;
}

/**
 * Each tenant's coverage index, kept in the isolate. A lookup does not touch the database: at most
 * every `recheckMs` one cheap query compares the stored version, and the index is rebuilt only
 * when it changed. A change made through this isolate is seen at once (`forget`).
 *
 * Bounded: when the indexes together would exceed `maxBytes` (estimated) or `maxEntries`, the least
 * recently used are dropped, and rebuilt from the database on their next lookup. An index larger
 * than the whole bound is used for its lookup and not kept.
 */
export class CoverageCache {
  readonly recheckMs: number;
  readonly #entries: LRUCache<string, Entry>;

  constructor(options: CoverageCacheOptions = {}) {
    this.recheckMs = options.recheckMs ?? 5_000;
    this.#entries = new LRUCache<string, Entry>({
      max: options.maxEntries ?? DEFAULT_COVERAGE_CACHE_ENTRIES,
      maxSize: options.maxBytes ?? DEFAULT_COVERAGE_CACHE_BYTES,
      sizeCalculation: (entry) => estimatedIndexBytes(entry.index.snapshot),
    });
  }

  /** `db` is only called when the database must be asked, so a cached lookup opens no connection. */
  async index(tenantId: string, db: () => TenantDb, now = Date.now()): Promise<CoverageIndex> {
    const hit = this.#entries.get(tenantId);
    if (hit && now - hit.checkedAt < this.recheckMs) return hit.index;
    if (hit && (await coverageVersion(db())) === hit.index.version) {
      hit.checkedAt = now;
      return hit.index;
    }
    const index = new CoverageIndex(await loadCoverage(db()));
    this.#entries.set(tenantId, { index, checkedAt: now });
    return index;
  }

  forget(tenantId: string): void {
    this.#entries.delete(tenantId);
  }

  /** How many indexes are kept and their estimated size, for tests and benchmarks. */
  get usage(): { entries: number; bytes: number } {
    return { entries: this.#entries.size, bytes: this.#entries.calculatedSize };
  }
}

/**
 * The heap an index of this snapshot takes, from measurements of real indexes in V8 (about 300
 * bytes per rule, 1.5 KB per team, 100 bytes per area), rounded up so that the bound holds.
 */
export function estimatedIndexBytes(snapshot: CoverageSnapshot): number {
  return 2_048 + snapshot.teams.length * 2_048 + snapshot.rules.length * 400 + snapshot.areas.length * 128;
}
