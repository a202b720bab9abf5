import { describe, expect, it } from 'vitest';
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
import { STAFF, worldPerTest } from './helpers.ts';

const t = worldPerTest();

async function triaged() {
  const { reference } = await t.world.submit();
  expect(await transition(t.world.ctx, reference, 'triaged', STAFF)).toMatchObject({
    ok: true,
    request: { status: 'triaged', tier: 'volunteers' },
  });
  return reference;
}

async function history(reference: string) {
  const read = await readRequest(t.world.ctx, reference, STAFF, 'test');
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
    expect((await getLadder(t.world.ctx)).map((t) => t.slug)).toEqual([
      'volunteers',
      'woonservice',
      'private-provider',
      'company',
    ]);
  });

  it('moves a declined offer to the next tier, a timed-out one too, and refers it when the ladder is exhausted', async () => {
    const reference = await triaged();

    expect(await offerRequest(t.world.ctx, reference, t.providers.volunteers, STAFF)).toMatchObject({
      ok: true,
      request: { status: 'offered', tier: 'volunteers', providerId: t.providers.volunteers },
    });
    t.world.ctx.advanceHours(1);
    // Declined: down the ladder, and offered at once to the provider of the next tier.
    expect(await respondToOffer(t.world.ctx, reference, t.providers.volunteers, 'decline')).toMatchObject({
      ok: true,
      request: { status: 'offered', tier: 'woonservice', providerId: t.providers.woonservice },
    });
    const offeredAt = t.world.ctx.clock();
    // Not yet expired at 47 hours; expired at 48.
    expect(
      await expireOffers(t.world.ctx, {
        now: new Date(offeredAt.getTime() + 47 * 3_600_000),
        offerTtlHours: 48,
      }),
    ).toEqual({ expired: [] });
    const expiry = await expireOffers(t.world.ctx, {
      now: new Date(offeredAt.getTime() + 48 * 3_600_000),
      offerTtlHours: 48,
    });
    expect(expiry.expired).toMatchObject([
      { reference, status: 'offered', tier: 'private-provider', providerId: t.providers['private-provider'] },
    ]);
    // Nothing left to expire: the new offer runs 48 hours from the sweep that made it.
    expect(
      await expireOffers(t.world.ctx, {
        now: new Date(offeredAt.getTime() + 95 * 3_600_000),
        offerTtlHours: 48,
      }),
    ).toEqual({ expired: [] });

    await respondToOffer(t.world.ctx, reference, t.providers['private-provider'], 'decline');
    expect(await respondToOffer(t.world.ctx, reference, t.providers.company, 'decline')).toMatchObject({
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
        providerId: t.providers.volunteers,
        reason: null,
        actor: STAFF,
      },
      {
        from: 'offered',
        to: 'triaged',
        tier: 'volunteers',
        providerId: t.providers.volunteers,
        reason: 'declined',
        actor: `provider:${t.providers.volunteers}`,
      },
      {
        from: 'triaged',
        to: 'offered',
        tier: 'woonservice',
        providerId: t.providers.woonservice,
        reason: null,
        actor: 'system',
      },
      {
        from: 'offered',
        to: 'triaged',
        tier: 'woonservice',
        providerId: t.providers.woonservice,
        reason: 'offer-expired',
        actor: 'system',
      },
      expect.objectContaining({ to: 'offered', tier: 'private-provider' }),
      expect.objectContaining({ to: 'triaged', reason: 'declined' }),
      expect.objectContaining({ to: 'offered', tier: 'company', providerId: t.providers.company }),
      {
        from: 'offered',
        to: 'referred',
        tier: 'company',
        providerId: t.providers.company,
        reason: 'declined;ladder-exhausted',
        actor: `provider:${t.providers.company}`,
      },
    ]);
  });

  it('records the time of every step', async () => {
    const reference = await triaged();
    t.world.ctx.advanceHours(2);
    await offerRequest(t.world.ctx, reference, t.providers.volunteers, STAFF);
    const read = await readRequest(t.world.ctx, reference, STAFF, 'test');
    if (!read.ok) throw new Error('not found');
    expect(read.request.history.map((h) => h.at)).toEqual([
      '2026-03-02T09:00:00.000Z',
      '2026-03-02T09:00:00.000Z',
      '2026-03-02T11:00:00.000Z',
    ]);
  });

  it('offers only to a provider registered for the current tier and the category', async () => {
    const reference = await triaged();
    expect(await offerRequest(t.world.ctx, reference, t.providers.company, STAFF)).toEqual({
      ok: false,
      reason: 'provider-not-eligible',
    });
    const gardeners = await registerProvider(t.world.ctx, {
      name: 'Tuinploeg',
      tier: 'volunteers',
      categories: ['gardening'],
      contact: { phone: '06 11112222' },
    });
    if (!gardeners.ok) throw new Error('not registered');
    expect(await offerRequest(t.world.ctx, reference, gardeners.provider.id, STAFF)).toEqual({
      ok: false,
      reason: 'provider-not-eligible',
    });
    expect(await offerRequest(t.world.ctx, reference, 'prv_unknown', STAFF)).toEqual({
      ok: false,
      reason: 'provider-not-eligible',
    });
  });

  it('offers only a triaged request', async () => {
    const { reference } = await t.world.submit();
    expect(await offerRequest(t.world.ctx, reference, t.providers.volunteers, STAFF)).toEqual({
      ok: false,
      reason: 'illegal-transition',
      from: 'received',
      to: 'offered',
    });
  });

  it('takes an answer only from the provider the request is offered to', async () => {
    const reference = await triaged();
    await offerRequest(t.world.ctx, reference, t.providers.volunteers, STAFF);
    expect(await respondToOffer(t.world.ctx, reference, t.providers.woonservice, 'accept')).toEqual({
      ok: false,
      reason: 'no-open-offer',
    });
    expect(await respondToOffer(t.world.ctx, reference, t.providers.volunteers, 'accept')).toMatchObject({
      ok: true,
      request: { status: 'accepted', tier: 'volunteers', providerId: t.providers.volunteers },
    });
    expect(await respondToOffer(t.world.ctx, reference, t.providers.volunteers, 'decline')).toEqual({
      ok: false,
      reason: 'no-open-offer',
    });
  });

  it('follows a tenant ladder of its own', async () => {
    expect(
      await setLadder(t.world.ctx, [
        { slug: 'woonservice', name: { nl: 'WoonZorgService', en: 'Home care service' } },
        { slug: 'company', name: { nl: 'Bedrijf', en: 'Company' } },
      ]),
    ).toMatchObject({ ok: true });
    const reference = await t.world.submit().then((r) => r.reference);
    expect(await transition(t.world.ctx, reference, 'triaged', STAFF)).toMatchObject({
      request: { tier: 'woonservice' },
    });
    await offerRequest(t.world.ctx, reference, t.providers.woonservice, STAFF);
    await respondToOffer(t.world.ctx, reference, t.providers.woonservice, 'decline');
    await offerRequest(t.world.ctx, reference, t.providers.company, STAFF);
    expect(await respondToOffer(t.world.ctx, reference, t.providers.company, 'decline')).toMatchObject({
      request: { status: 'referred' },
    });
  });

  it('refuses t.providers for a tier or category that does not exist', async () => {
    expect(
      await registerProvider(t.world.ctx, {
        name: 'X',
        tier: 'wizards',
        categories: ['odd-jobs', 'knitting'],
        contact: { email: 'x@example.nl' },
      }),
    ).toEqual({
      ok: false,
      reason: 'invalid-input',
      invalidParams: [
        { name: 'tier', reason: expect.stringContaining('Not a tier of the ladder') },
        { name: 'categories.1', reason: 'Unknown category' },
      ],
    });
    expect(
      (await listProviders(t.world.ctx, { category: 'errands' })).map((p: { tier: string }) => p.tier).sort(),
    ).toEqual(['company', 'private-provider', 'volunteers', 'woonservice']);
  });
});
