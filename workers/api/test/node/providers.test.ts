import type { NotifyCatcher } from '@wijkteams/local/notify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxDrain } from '../../src/outbox-drain.ts';
import { ADMIN_KEY, notifyingAppFixture } from './fixture.ts';
import { bearer, expectProblem, json } from './helpers.ts';

let notify: NotifyCatcher;
let fixture: Awaited<ReturnType<typeof notifyingAppFixture>>;
let drain: OutboxDrain;
beforeAll(async () => {
  fixture = await notifyingAppFixture({
    PUBLIC_BASE_URL: 'https://wijkteams.example.nl',
    KEY_RATE_LIMIT_PER_MINUTE: '100000',
    PUBLIC_RATE_LIMIT_PER_MINUTE: '100000',
  });
  notify = fixture.notify;
  drain = fixture.drain;
});
afterAll(async () => {
  await fixture.cleanup();
});
const admin = bearer(ADMIN_KEY);
let serial = 0;

async function provider(tier: string, contact: object, name = `Provider ${tier} ${serial++}`) {
  const res = await fixture.request(
    '/v1/groningen/providers',
    json('POST', { name, tier, categories: ['odd-jobs'], contact }, admin),
  );
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; name: string };
}

async function triagedRequest(
  contact: object = { name: 'J. de Vries', email: 'j.devries@example.nl' },
  shareWithProvider = false,
) {
  const res = await fixture.request(
    '/v1/groningen/requests',
    json('POST', {
      postcode: '9712 CP',
      category: 'odd-jobs',
      description: 'De dakgoot lekt',
      contact,
      consent: true,
      shareWithProvider,
    }),
  );
  const { reference } = (await res.json()) as { reference: string };
  expect((await move(reference, { to: 'triaged' })).status).toBe(200);
  return reference;
}

const move = (reference: string, body: object, auth = admin) =>
  fixture.request(`/v1/groningen/requests/${reference}/transitions`, json('POST', body, auth));

const form = (answer: string) => ({
  method: 'POST',
  body: new URLSearchParams({ answer, reason: '' }).toString(),
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
});

async function linkSentTo(to: string, reference: string): Promise<string> {
  await drain.settled();
  const message = notify
    .messages()
    .find((m) => m.to === to && m.event === 'offer.created' && m.reference === reference);
  const token = /\/o\/([a-z0-9-]+\.[A-Za-z0-9_-]{43})/.exec(message?.body ?? '')?.[1];
  if (!token)
    throw new Error(
      `no offer link to ${to}: ${JSON.stringify(notify.messages().map((m) => [m.to, m.event]))}`,
    );
  return token;
}

async function requestOf(reference: string) {
  return (await (
    await fixture.request(`/v1/groningen/requests/${reference}`, { headers: admin })
  ).json()) as {
    status: string;
    providerId: string | null;
    tier: string;
  };
}

describe('a volunteer without any account answers an offer by its link', () => {
  it('gets the offer by e-mail, reads it without the resident’s details, declines; the next provider is asked at once and accepts', async () => {
    const volunteer = await provider('volunteers', { email: 'tuinploeg@example.nl' });
    const woonservice = await provider('woonservice', { phone: '06 11223344' });
    const reference = await triagedRequest();
    expect((await move(reference, { to: 'offered', providerId: volunteer.id })).status).toBe(200);

    const first = await linkSentTo('tuinploeg@example.nl', reference);
    const page = await fixture.request(`/o/${first}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(page.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(page.headers.get('Content-Security-Policy')).toContain("form-action 'self'");
    const html = await page.text();
    expect(html).toContain('Klussen in en om het huis');
    expect(html).toContain('9712');
    expect(html).not.toMatch(/de Vries|dakgoot|j\.devries/);

    const declined = await fixture.request(`/o/${first}`, form('decline'));
    expect(declined.status).toBe(200);
    expect(await declined.text()).toContain('We vragen iemand anders');
    expect(await requestOf(reference)).toMatchObject({
      status: 'offered',
      tier: 'woonservice',
      providerId: woonservice.id,
    });
    // A link answers once.
    expect((await fixture.request(`/o/${first}`, form('accept'))).status).toBe(410);
    const gone = await fixture.request(`/o/${first}`);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain('Deze link werkt niet meer');

    const second = await linkSentTo('+31611223344', reference);
    const accepted = await fixture.request(`/o/${second}`, form('accept'));
    expect(accepted.status).toBe(200);
    const after = await accepted.text();
    expect(after).toContain('J. de Vries');
    expect(after).toContain('j.devries@example.nl');
    expect(after).toContain('9712 CP');
    expect(await requestOf(reference)).toMatchObject({ status: 'accepted', providerId: woonservice.id });
    await drain.settled();
    const told = notify
      .messages()
      .find((m) => m.to === 'j.devries@example.nl' && m.subject?.startsWith('Er is iemand gevonden'));
    expect(told?.body).toContain(`${woonservice.name} gaat u helpen`);

    const audit = (await (
      await fixture.request(`/v1/groningen/request-audit-events?reference=${reference}`, { headers: admin })
    ).json()) as { auditEvents: { actor: string; origin: string; detail: string | null }[] };
    expect(audit.auditEvents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: `provider:${volunteer.id}`,
          origin: 'offer-link',
          detail: 'offered->triaged',
        }),
        expect.objectContaining({
          actor: `provider:${woonservice.id}`,
          origin: 'offer-link',
          detail: 'offered->accepted',
        }),
      ]),
    );
  });

  it('shows the description only where the resident agreed to share it with the provider', async () => {
    const volunteer = await provider('volunteers', { email: 'deelt@example.nl' });
    const reference = await triagedRequest(undefined, true);
    await move(reference, { to: 'offered', providerId: volunteer.id });
    const page = await (
      await fixture.request(`/o/${await linkSentTo('deelt@example.nl', reference)}`)
    ).text();
    expect(page).toContain('De dakgoot lekt');
    expect(page).not.toContain('de Vries');
  });

  it('answers an unknown or malformed link with a 410 page, and a bad answer with a 400', async () => {
    expect((await fixture.request('/o/groningen.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(
      410,
    );
    expect((await fixture.request('/o/nonsense')).status).toBe(410);
    const volunteer = await provider('volunteers', { email: 'buurthulp@example.nl' });
    const reference = await triagedRequest();
    await move(reference, { to: 'offered', providerId: volunteer.id });
    const token = await linkSentTo('buurthulp@example.nl', reference);
    const bad = await fixture.request(`/o/${token}`, form('maybe'));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('role="alert"');
    const control = await fixture.request(`/o/${token}`, {
      method: 'POST',
      body: new URLSearchParams({ answer: 'decline', reason: 'nee\u0000' }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    const refused = await expectProblem(control, 400, 'validation-failed');
    expect((refused.invalidParams as { name: string }[])[0]?.name).toBe('body.reason');
    await expectProblem(
      await fixture.request(`/o/${token}`, {
        ...form('maybe'),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
      400,
      'validation-failed',
    );
  });
});

describe('keys that act as a provider', () => {
  it('answer offers made to their own provider, and nothing else', async () => {
    const mine = await provider('volunteers', { email: 'a@example.nl' });
    const other = await provider('volunteers', { email: 'b@example.nl' });
    const keyFor = async (providerId: string | undefined, scopes: string[]) => {
      const res = await fixture.request(
        '/v1/groningen/api-keys',
        json('POST', { name: 'Vrijwilliger', scopes, ...(providerId ? { providerId } : {}) }, admin),
      );
      return res;
    };
    await expectProblem(await keyFor(undefined, ['offers:respond']), 400, 'validation-failed');
    await expectProblem(await keyFor('prv_unknown', ['offers:respond']), 400, 'validation-failed');
    const mineKey = bearer(
      ((await (await keyFor(mine.id, ['offers:respond'])).json()) as { key: string }).key,
    );
    const otherKey = bearer(
      ((await (await keyFor(other.id, ['offers:respond'])).json()) as { key: string }).key,
    );

    const offeredToMine = await triagedRequest();
    await move(offeredToMine, { to: 'offered', providerId: mine.id });
    const notOffered = await triagedRequest();
    await expectProblem(await move(offeredToMine, { to: 'accepted' }, otherKey), 403, 'forbidden');
    await expectProblem(await move(offeredToMine, { to: 'cancelled' }, mineKey), 403, 'forbidden');
    await expectProblem(await move(notOffered, { to: 'accepted' }, mineKey), 403, 'forbidden');
    await expectProblem(
      await move(offeredToMine, { to: 'accepted', providerId: other.id }, mineKey),
      403,
      'forbidden',
    );
    expect(await requestOf(offeredToMine)).toMatchObject({ status: 'offered', providerId: mine.id });
    expect((await move(offeredToMine, { to: 'accepted' }, mineKey)).status).toBe(200);
    expect(await requestOf(offeredToMine)).toMatchObject({ status: 'accepted' });
  });

  it('redeem to their own account only; a redemption names a registered, active provider', async () => {
    const shop = await provider('private-provider', { email: 'winkel@example.nl' });
    const rival = await provider('private-provider', { email: 'concurrent@example.nl' });
    const key = (await (
      await fixture.request(
        '/v1/groningen/api-keys',
        json(
          'POST',
          { name: 'Winkel', scopes: ['vouchers:redeem', 'vouchers:read'], providerId: shop.id },
          admin,
        ),
      )
    ).json()) as { key: string };
    const shopKey = bearer(key.key);
    const batch = (await (
      await fixture.request(
        '/v1/groningen/voucher-batches',
        json(
          'POST',
          { holder: 'res-77', count: 3 },
          { ...admin, 'Idempotency-Key': `batch-key-${serial++}` },
        ),
      )
    ).json()) as { vouchers: { code: string }[] };
    const [a, b, c] = batch.vouchers.map((v) => v.code) as [string, string, string];
    const redeem = (code: string, body: object, auth: Record<string, string>) =>
      fixture.request(
        `/v1/groningen/vouchers/${code}/redemptions`,
        json('POST', body, { ...auth, 'Idempotency-Key': `redeem-key-${serial++}` }),
      );

    const unknown = await expectProblem(
      await redeem(a, { provider: 'prv-some-other-company' }, admin),
      400,
      'validation-failed',
    );
    expect(unknown.invalidParams).toEqual([expect.objectContaining({ name: 'body.provider' })]);
    await expectProblem(await redeem(a, { provider: rival.id }, shopKey), 403, 'forbidden');
    const receipt = await redeem(a, {}, shopKey);
    expect(receipt.status).toBe(201);
    const { providerAccountId } = (await receipt.json()) as { providerAccountId: string };
    expect(
      (await fixture.request(`/v1/groningen/accounts/${providerAccountId}`, { headers: shopKey })).status,
    ).toBe(200);

    const again = await expectProblem(
      await redeem(a, { provider: rival.id }, admin),
      409,
      'voucher-already-redeemed',
    );
    expect(again.detail).toContain(`by ${shop.name}`);
    expect((await redeem(b, { provider: rival.id }, admin)).status).toBe(201);
    const notYours = await expectProblem(await redeem(b, {}, shopKey), 409, 'voucher-already-redeemed');
    expect(notYours.detail).toContain('by another provider');
    const rivalAccount = (await (
      await fixture.request(`/v1/groningen/vouchers/${b}`, { headers: admin })
    ).json()) as object;
    expect(rivalAccount).toBeDefined();

    expect(
      (await fixture.request(`/v1/groningen/providers/${rival.id}`, json('PATCH', { active: false }, admin)))
        .status,
    ).toBe(200);
    await expectProblem(await redeem(c, { provider: rival.id }, admin), 409, 'provider-inactive');
  });
});
