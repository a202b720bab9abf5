import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  expireOffers,
  getLadder,
  listProviders,
  offerRequest,
  readRequest,
  registerProvider,
  respondToOffer,
  setLadder,
  transition,
} from '../src/index.ts';
import { makeWorld, registerLadderProviders, type World } from './helpers.ts';

let world: World;
let providers: Awaited<ReturnType<typeof registerLadderProviders>>;
beforeEach(async () => {
  world = await makeWorld();
  providers = await registerLadderProviders(world.ctx);
});
afterEach(() => world.close());

const STAFF = 'key:staff1';

async function triaged() {
  const { reference } = await world.submit();
  expect(await transition(world.ctx, reference, 'triaged', STAFF)).toMatchObject({
    ok: true,
    request: { status: 'triaged', tier: 'volunteers' },
  });
  return reference;
}

async function history(reference: string) {
  const read = await readRequest(world.ctx, reference, STAFF, 'test');
  if (!read.ok) throw new Error('not found');
  return read.request.history.map(({ from, to, tier, providerId, reason, actor }) => ({
    from,
    to,
    tier,
    providerId,
    reason,
    actor,
  }));
}

describe('the triage ladder', () => {
  it('is volunteers → woonservice → private-provider → company by default', async () => {
    expect((await getLadder(world.ctx)).map((t) => t.slug)).toEqual([
      'volunteers',
      'woonservice',
      'private-provider',
      'company',
    ]);
  });

  it('moves a declined offer to the next tier, a timed-out one too, and refers it when the ladder is exhausted', async () => {
    const reference = await triaged();

    expect(await offerRequest(world.ctx, reference, providers.volunteers, STAFF)).toMatchObject({
      ok: true,
      request: { status: 'offered', tier: 'volunteers', providerId: providers.volunteers },
    });
    world.ctx.advanceHours(1);
    expect(await respondToOffer(world.ctx, reference, providers.volunteers, 'decline')).toMatchObject({
      ok: true,
      request: { status: 'triaged', tier: 'woonservice', providerId: null },
    });

    await offerRequest(world.ctx, reference, providers.woonservice, STAFF);
    const offeredAt = world.ctx.clock();
    // Not yet expired at 47 hours; expired at 48.
    expect(
      await expireOffers(world.ctx, {
        now: new Date(offeredAt.getTime() + 47 * 3_600_000),
        offerTtlHours: 48,
      }),
    ).toEqual({ expired: [] });
    const expiry = await expireOffers(world.ctx, {
      now: new Date(offeredAt.getTime() + 48 * 3_600_000),
      offerTtlHours: 48,
    });
    expect(expiry.expired).toMatchObject([{ reference, status: 'triaged', tier: 'private-provider' }]);
    // Nothing left to expire.
    expect(
      await expireOffers(world.ctx, {
        now: new Date(offeredAt.getTime() + 96 * 3_600_000),
        offerTtlHours: 48,
      }),
    ).toEqual({ expired: [] });

    await offerRequest(world.ctx, reference, providers['private-provider'], STAFF);
    await respondToOffer(world.ctx, reference, providers['private-provider'], 'decline');
    await offerRequest(world.ctx, reference, providers.company, STAFF);
    expect(await respondToOffer(world.ctx, reference, providers.company, 'decline')).toMatchObject({
      ok: true,
      request: { status: 'referred' },
    });

    expect(await history(reference)).toEqual([
      { from: null, to: 'received', tier: null, providerId: null, reason: null, actor: 'resident' },
      { from: 'received', to: 'triaged', tier: 'volunteers', providerId: null, reason: null, actor: STAFF },
      {
        from: 'triaged',
        to: 'offered',
        tier: 'volunteers',
        providerId: providers.volunteers,
        reason: null,
        actor: STAFF,
      },
      {
        from: 'offered',
        to: 'triaged',
        tier: 'volunteers',
        providerId: providers.volunteers,
        reason: 'declined',
        actor: `provider:${providers.volunteers}`,
      },
      {
        from: 'triaged',
        to: 'offered',
        tier: 'woonservice',
        providerId: providers.woonservice,
        reason: null,
        actor: STAFF,
      },
      {
        from: 'offered',
        to: 'triaged',
        tier: 'woonservice',
        providerId: providers.woonservice,
        reason: 'offer-expired',
        actor: 'system',
      },
      expect.objectContaining({ to: 'offered', tier: 'private-provider' }),
      expect.objectContaining({ to: 'triaged', reason: 'declined' }),
      expect.objectContaining({ to: 'offered', tier: 'company', providerId: providers.company }),
      {
        from: 'offered',
        to: 'referred',
        tier: 'company',
        providerId: providers.company,
        reason: 'declined;ladder-exhausted',
        actor: `provider:${providers.company}`,
      },
    ]);
  });

  it('records the time of every step', async () => {
    const reference = await triaged();
    world.ctx.advanceHours(2);
    await offerRequest(world.ctx, reference, providers.volunteers, STAFF);
    const read = await readRequest(world.ctx, reference, STAFF, 'test');
    if (!read.ok) throw new Error('not found');
    expect(read.request.history.map((h) => h.at)).toEqual([
      '2026-03-02T09:00:00.000Z',
      '2026-03-02T09:00:00.000Z',
      '2026-03-02T11:00:00.000Z',
    ]);
  });

  it('offers only to a provider registered for the current tier and the category', async () => {
    const reference = await triaged();
    expect(await offerRequest(world.ctx, reference, providers.company, STAFF)).toEqual({
      ok: false,
      reason: 'provider-not-eligible',
    });
    const gardeners = await registerProvider(world.ctx, {
      name: 'Tuinploeg',
      tier: 'volunteers',
      categories: ['gardening'],
    });
    if (!gardeners.ok) throw new Error('not registered');
    expect(await offerRequest(world.ctx, reference, gardeners.provider.id, STAFF)).toEqual({
      ok: false,
      reason: 'provider-not-eligible',
    });
    expect(await offerRequest(world.ctx, reference, 'prv_unknown', STAFF)).toEqual({
      ok: false,
      reason: 'provider-not-eligible',
    });
  });

  it('offers only a triaged request', async () => {
    const { reference } = await world.submit();
    expect(await offerRequest(world.ctx, reference, providers.volunteers, STAFF)).toEqual({
      ok: false,
      reason: 'illegal-transition',
      from: 'received',
      to: 'offered',
    });
  });

  it('takes an answer only from the provider the request is offered to', async () => {
    const reference = await triaged();
    await offerRequest(world.ctx, reference, providers.volunteers, STAFF);
    expect(await respondToOffer(world.ctx, reference, providers.woonservice, 'accept')).toEqual({
      ok: false,
      reason: 'no-open-offer',
    });
    expect(await respondToOffer(world.ctx, reference, providers.volunteers, 'accept')).toMatchObject({
      ok: true,
      request: { status: 'accepted', tier: 'volunteers', providerId: providers.volunteers },
    });
    expect(await respondToOffer(world.ctx, reference, providers.volunteers, 'decline')).toEqual({
      ok: false,
      reason: 'no-open-offer',
    });
  });

  it('follows a tenant ladder of its own', async () => {
    expect(
      await setLadder(world.ctx, [
        { slug: 'woonservice', name: { nl: 'WoonZorgService', en: 'Home care service' } },
        { slug: 'company', name: { nl: 'Bedrijf', en: 'Company' } },
      ]),
    ).toMatchObject({ ok: true });
    const reference = await world.submit().then((r) => r.reference);
    expect(await transition(world.ctx, reference, 'triaged', STAFF)).toMatchObject({
      request: { tier: 'woonservice' },
    });
    await offerRequest(world.ctx, reference, providers.woonservice, STAFF);
    await respondToOffer(world.ctx, reference, providers.woonservice, 'decline');
    await offerRequest(world.ctx, reference, providers.company, STAFF);
    expect(await respondToOffer(world.ctx, reference, providers.company, 'decline')).toMatchObject({
      request: { status: 'referred' },
    });
  });

  it('refuses providers for a tier or category that does not exist', async () => {
    expect(
      await registerProvider(world.ctx, { name: 'X', tier: 'wizards', categories: ['odd-jobs', 'knitting'] }),
    ).toEqual({
      ok: false,
      reason: 'invalid-input',
      invalidParams: [
        { name: 'tier', reason: 'Not a tier of the ladder' },
        { name: 'categories.1', reason: 'Unknown category' },
      ],
    });
    expect((await listProviders(world.ctx, { category: 'errands' })).map((p) => p.tier).sort()).toEqual([
      'company',
      'private-provider',
      'volunteers',
      'woonservice',
    ]);
  });
});
