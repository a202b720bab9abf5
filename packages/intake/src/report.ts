import { type RequestStatus, requests, teams, tenantDb } from '@wijkteams/db';
import { and, asc, count, gte, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { IntakeContext } from './context.ts';
import { getLadder } from './ladder.ts';
import type { InvalidInput } from './outcomes.ts';
import { toInvalidParams } from './validation.ts';

export interface RequestReport {
  /** Dutch calendar days of receipt, both inclusive. */
  from: string;
  to: string;
  total: number;
  /** Requests that reached `resolved` (and possibly `closed` since). */
  resolved: number;
  byTeam: { teamId: string; teamName: string | null; count: number }[];
  byCategory: { category: string; count: number }[];
  byMonth: { month: string; count: number }[];
  byStatus: { status: RequestStatus; count: number }[];
  /**
   * Per tier of the ladder (null: never triaged): how many requests ended up there, how many it
   * resolved, and its share of all resolved requests (Voor Mekaar: ~0.7 for `volunteers`).
   */
  byTier: { tier: string | null; count: number; resolved: number; shareOfResolved: number }[];
}

const Period = z.strictObject({ from: z.iso.date(), to: z.iso.date() });

/** Counts over the requests received in a period; anonymised requests count as much as any. */
export async function requestReport(
  ctx: IntakeContext,
  period: { from: string; to: string },
): Promise<{ ok: true; report: RequestReport } | InvalidInput> {
  const parsed = Period.safeParse(period);
  if (!parsed.success)
    return { ok: false, reason: 'invalid-input', invalidParams: toInvalidParams(parsed.error) };
  const { from, to } = parsed.data;
  if (from > to) {
    return {
      ok: false,
      reason: 'invalid-input',
      invalidParams: [{ name: 'from', reason: 'Must not be after `to`' }],
    };
  }
  const db = tenantDb(ctx.db);
  const inPeriod = and(gte(requests.receivedOn, from), lte(requests.receivedOn, to));
  const month = sql<string>`substr(${requests.receivedOn}, 1, 7)`;
  const resolved = sql<number>`coalesce(sum(${requests.resolvedAt} IS NOT NULL), 0)`;

  const [byTeam, byCategory, byMonth, byStatus, byTier] = await db.batch([
    db
      .select({ teamId: requests.teamId, teamName: teams.name, count: count() })
      .from(requests)
      .leftJoin(teams, sql`${teams.id} = ${requests.teamId}`)
      .where(inPeriod)
      .groupBy(requests.teamId)
      .orderBy(asc(requests.teamId)),
    db
      .select({ category: requests.category, count: count() })
      .from(requests)
      .where(inPeriod)
      .groupBy(requests.category)
      .orderBy(asc(requests.category)),
    db.select({ month, count: count() }).from(requests).where(inPeriod).groupBy(month).orderBy(asc(month)),
    db
      .select({ status: requests.status, count: count() })
      .from(requests)
      .where(inPeriod)
      .groupBy(requests.status)
      .orderBy(asc(requests.status)),
    db
      .select({ tier: requests.tier, count: count(), resolved })
      .from(requests)
      .where(inPeriod)
      .groupBy(requests.tier),
  ]);

  const ladder = (await getLadder(ctx)).map((t) => t.slug);
  // Ladder order; a tier no longer on the ladder after it, never-triaged last.
  const rank = (tier: string | null) => {
    const position = tier === null ? -1 : ladder.indexOf(tier);
    return position !== -1 ? position : tier === null ? ladder.length + 1 : ladder.length;
  };
  const totalResolved = byTier.reduce((n, t) => n + Number(t.resolved), 0);
  return {
    ok: true,
    report: {
      from,
      to,
      total: byStatus.reduce((n, s) => n + s.count, 0),
      resolved: totalResolved,
      byTeam,
      byCategory,
      byMonth,
      byStatus,
      byTier: byTier
        .map((t) => ({
          tier: t.tier,
          count: t.count,
          resolved: Number(t.resolved),
          shareOfResolved: totalResolved === 0 ? 0 : round(Number(t.resolved) / totalResolved),
        }))
        .sort((a, b) => rank(a.tier) - rank(b.tier) || String(a.tier).localeCompare(String(b.tier))),
    },
  };
}

const round = (share: number) => Math.round(share * 10_000) / 10_000;
