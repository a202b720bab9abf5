import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { offerRequest, requestReport, respondToOffer, transition } from '../src/index.ts';
import { makeWorld, registerLadderProviders, type World } from './helpers.ts';

let world: World;
let providers: Awaited<ReturnType<typeof registerLadderProviders>>;
beforeEach(async () => {
  world = await makeWorld();
  providers = await registerLadderProviders(world.ctx);
});
afterEach(() => world.close());

const STAFF = 'key:staff1';
type Tier = keyof typeof providers;

/** A request resolved at `tier`, after every tier before it declined. */
async function resolvedAt(tier: Tier, input = {}) {
  const { reference } = await world.submit(input);
  await transition(world.ctx, reference, 'triaged', STAFF);
  for (const step of ['volunteers', 'woonservice', 'private-provider', 'company'] as Tier[]) {
    await offerRequest(world.ctx, reference, providers[step], STAFF);
    if (step === tier) break;
    await respondToOffer(world.ctx, reference, providers[step], 'decline');
  }
  await respondToOffer(world.ctx, reference, providers[tier], 'accept');
  await transition(world.ctx, reference, 'in_progress', STAFF);
  await transition(world.ctx, reference, 'resolved', STAFF);
  return reference;
}

describe('requestReport', () => {
  it('counts per team, category, tier and month, and the share each tier resolved', async () => {
    world.ctx.setNow('2026-03-10T10:00:00Z');
    for (let i = 0; i < 7; i++) await resolvedAt('volunteers', i < 4 ? {} : { category: 'errands' });
    await resolvedAt('woonservice', { postcode: '9733CD' });
    await resolvedAt('woonservice');
    world.ctx.setNow('2026-04-02T10:00:00Z');
    const company = await resolvedAt('company');
    await transition(world.ctx, company, 'closed', STAFF);
    await world.submit({ postcode: '9733CD' }); // still open, never triaged
    // Outside the period: received on 1 May, Dutch time (30 April 23:30 UTC is already May there).
    world.ctx.setNow('2026-04-30T22:30:00Z');
    await resolvedAt('volunteers');

    const outcome = await requestReport(world.ctx, { from: '2026-03-01', to: '2026-04-30' });
    if (!outcome.ok) throw new Error('invalid');
    const report = outcome.report;
    expect(report.total).toBe(11);
    expect(report.resolved).toBe(10);
    expect(report.byTier).toEqual([
      { tier: 'volunteers', count: 7, resolved: 7, shareOfResolved: 0.7 },
      { tier: 'woonservice', count: 2, resolved: 2, shareOfResolved: 0.2 },
      { tier: 'company', count: 1, resolved: 1, shareOfResolved: 0.1 },
      { tier: null, count: 1, resolved: 0, shareOfResolved: 0 },
    ]);
    expect(report.byCategory).toEqual([
      { category: 'errands', count: 3 },
      { category: 'odd-jobs', count: 8 },
    ]);
    expect(report.byMonth).toEqual([
      { month: '2026-03', count: 9 },
      { month: '2026-04', count: 2 },
    ]);
    expect(
      report.byTeam.map(({ teamName, count }) => ({ teamName, count })).sort((a, b) => b.count - a.count),
    ).toEqual([
      { teamName: 'WIJ Centrum', count: 9 },
      { teamName: 'WIJ Oost', count: 2 },
    ]);
    expect(report.byStatus).toEqual([
      { status: 'closed', count: 1 },
      { status: 'received', count: 1 },
      { status: 'resolved', count: 9 },
    ]);
  });

  it('refuses a period that is not two dates in order', async () => {
    expect(await requestReport(world.ctx, { from: '2026-05-01', to: '2026-04-01' })).toMatchObject({
      ok: false,
      invalidParams: [{ name: 'from' }],
    });
    expect(await requestReport(world.ctx, { from: 'yesterday', to: '2026-04-01' })).toMatchObject({
      ok: false,
      invalidParams: [{ name: 'from' }],
    });
  });
});
