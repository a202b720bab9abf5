import type { TenantDb } from '@wijkteams/db';
import { coverageVersion, loadCoverage } from './load.ts';
import { CoverageIndex } from './resolve.ts';

/**
 * Each tenant's coverage index, kept in the isolate. A lookup does not touch the database: at most
 * every `recheckMs` one cheap query compares the stored version, and the index is rebuilt only
 * when it changed. A change made through this isolate is seen at once (`forget`).
 */
export class CoverageCache {
  readonly #entries = new Map<string, { index: CoverageIndex; checkedAt: number }>();

  constructor(readonly recheckMs = 5_000) {}

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
}
