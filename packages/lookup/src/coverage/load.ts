import { areas, coverageRules, meta, type TenantDb, teamKinds, teams } from '@wijkteams/db';
import { eq } from 'drizzle-orm';
import type { CoverageSnapshot } from './resolve.ts';

export const COVERAGE_VERSION_KEY = 'coverage_version';

/** The version of a tenant's coverage and teams: bumped by every change to either. */
export async function coverageVersion(db: TenantDb): Promise<number> {
  const row = await db
    .select({ value: meta.value })
    .from(meta)
    .where(eq(meta.key, COVERAGE_VERSION_KEY))
    .get();
  return Number(row?.value ?? 0);
}

/** Everything a lookup needs, read in one batch so that the version and the data agree. */
export async function loadCoverage(db: TenantDb): Promise<CoverageSnapshot> {
  const [version, teamRows, kindRows, ruleRows, areaRows] = await db.batch([
    db.select({ value: meta.value }).from(meta).where(eq(meta.key, COVERAGE_VERSION_KEY)),
    db.select().from(teams),
    db.select().from(teamKinds),
    db.select().from(coverageRules),
    db.select({ pc4: areas.pc4 }).from(areas),
  ]);
  return {
    version: Number(version[0]?.value ?? 0),
    teams: teamRows,
    kinds: kindRows,
    rules: ruleRows,
    areas: areaRows.map((a) => a.pc4),
  };
}
