/**
 * What residents do over HTTP: intake with an Idempotency-Key and the BAG address fields, a
 * postcode of another municipality, the status with its team and timeline, withdrawal, and the
 * status page the link in the confirmation opens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, nodeAppFixture } from './fixture.ts';
import { bearer, expectProblem, json } from './helpers.ts';

let fixture: Awaited<ReturnType<typeof nodeAppFixture>>;
beforeAll(async () => {
  fixture = await nodeAppFixture({ PUBLIC_RATE_LIMIT_PER_MINUTE: '10000' });
});
afterAll(() => fixture.cleanup());

const admin = bearer(ADMIN_KEY);
const intake = {
  postcode: '9712 cp',
  houseNumber: 12,
  houseLetter: 'a',
  houseNumberAddition: '2',
  category: 'odd-jobs',
  description: 'Mijn lamp in de woonkamer moet worden opgehangen.',
  contact: { name: 'Jannie de Vries', email: 'jannie@example.nl', preferredChannel: 'email' },
  consent: true,
  shareWithProvider: true,
};
const submit = (body: unknown, headers: Record<string, string> = {}) =>
  fixture.request('/v1/groningen/requests', json('POST', body, headers));
const count = async () =>
  (
    (await (await fixture.request('/v1/groningen/requests?limit=100', { headers: admin })).json()) as {
      requests: unknown[];
    }
  ).requests.length;
type Receipt = { reference: string; statusToken: string; team: { id: string } };
const receiptOf = async (res: Response) => {
  expect(res.status).toBe(201);
  return (await res.json()) as Receipt;
};
const withToken = (token: string, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { 'Status-Token': token, ...(init.headers as Record<string, string>) },
});

describe('Idempotency-Key on intake', () => {
  const key = () => `resident-form-${crypto.randomUUID()}`;

  it('replays the first answer for the same key and body: the same reference and a status token that works', async () => {
    const idempotency = { 'Idempotency-Key': key() };
    const first = await receiptOf(await submit(intake, idempotency));
    const before = await count();
    const again = await receiptOf(await submit(intake, idempotency));
    expect(again).toEqual(first);
    expect(await count()).toBe(before);
    const status = await fixture.request(
      `/v1/groningen/requests/${again.reference}/status`,
      withToken(again.statusToken),
    );
    expect(status.status).toBe(200);
  });

  it('refuses the same key with another body (409), and stores nothing', async () => {
    const idempotency = { 'Idempotency-Key': key() };
    await receiptOf(await submit(intake, idempotency));
    const before = await count();
    await expectProblem(
      await submit({ ...intake, description: 'Toch iets anders.' }, idempotency),
      409,
      'idempotency-conflict',
    );
    expect(await count()).toBe(before);
  });

  it('wants a long key from a caller without an API key, and keeps keys apart per API key', async () => {
    const short = await expectProblem(
      await submit(intake, { 'Idempotency-Key': 'abc12345' }),
      400,
      'validation-failed',
    );
    expect(short.invalidParams).toEqual([
      { name: 'header.idempotency-key', reason: expect.stringMatching(/16/) },
    ]);
    const writer = (await (
      await fixture.request(
        '/v1/groningen/api-keys',
        json('POST', { name: 'Huisarts', scopes: ['requests:write'] }, admin),
      )
    ).json()) as { key: string };
    // A partner may use a shorter key of its own; the same key from a resident is another request.
    const partner = await receiptOf(
      await submit(intake, { 'Idempotency-Key': 'abc12345', ...bearer(writer.key) }),
    );
    const shared = 'shared-key-0123456789';
    const byPartner = await receiptOf(
      await submit(intake, { 'Idempotency-Key': shared, ...bearer(writer.key) }),
    );
    const byResident = await receiptOf(await submit(intake, { 'Idempotency-Key': shared }));
    expect(new Set([partner.reference, byPartner.reference, byResident.reference]).size).toBe(3);
  });
});

describe('addresses as in the BAG', () => {
  it('stores house number, letter (upper case) and addition, the contact preference and the consent to share', async () => {
    const { reference } = await receiptOf(await submit(intake));
    const read = await fixture.request(`/v1/groningen/requests/${reference}`, { headers: admin });
    expect(await read.json()).toMatchObject({
      address: { postcode: '9712CP', houseNumber: 12, houseLetter: 'A', houseNumberAddition: '2' },
      contact: { preferredChannel: 'email' },
      shareWithProvider: true,
    });
  });

  it('refuses a two-letter house letter and a long addition in intake (400, naming them), and stores nothing', async () => {
    const before = await count();
    const body = await expectProblem(
      await submit({ ...intake, houseLetter: 'ab', houseNumberAddition: 'abcde' }),
      400,
      'validation-failed',
    );
    expect((body.invalidParams as { name: string }[]).map((p) => p.name).sort()).toEqual([
      'body.houseLetter',
      'body.houseNumberAddition',
    ]);
    expect(await count()).toBe(before);
  });

  it('takes them in the lookup’s query too, and refuses a two-letter house letter there', async () => {
    const found = await fixture.request(
      '/v1/groningen/postcodes/9712CP?houseNumber=12&houseLetter=a&houseNumberAddition=2',
    );
    expect(found.status).toBe(200);
    expect(await found.json()).toMatchObject({ houseNumber: 12, houseLetter: 'A', houseNumberAddition: '2' });
    const two = await expectProblem(
      await fixture.request('/v1/groningen/postcodes/9712CP?houseNumber=12&houseLetter=ab'),
      400,
      'validation-failed',
    );
    expect(two.invalidParams).toEqual([expect.objectContaining({ name: 'query.houseLetter' })]);
    await expectProblem(
      await fixture.request('/v1/groningen/postcodes/9712CP?houseLetter=a'),
      400,
      'validation-failed',
    );
  });
});

describe('a postcode of another municipality', () => {
  it('is a 422 naming the municipality that serves it (and its tenant here), and nothing is stored', async () => {
    const before = await count();
    const zeist = await expectProblem(
      await submit({ ...intake, postcode: '3701 CH' }),
      422,
      'address-not-served',
    );
    expect(zeist.servedBy).toEqual({
      municipality: { code: 'GM0355', name: 'Zeist' },
      tenant: { slug: 'zeist', name: expect.stringContaining('Zeist') },
    });
    expect(zeist.detail).toContain('Zeist');
    const utrecht = await expectProblem(
      await submit({ ...intake, postcode: '3511 AB' }),
      422,
      'address-not-served',
    );
    expect(utrecht.servedBy).toEqual({ municipality: { code: 'GM0344', name: 'Utrecht' }, tenant: null });
    expect(await count()).toBe(before);
  });
});

describe('status and withdrawal', () => {
  const move = (reference: string, to: string, extra: Record<string, unknown> = {}) =>
    fixture.request(`/v1/groningen/requests/${reference}/transitions`, json('POST', { to, ...extra }, admin));
  const withdraw = (reference: string, token: string) =>
    fixture.request(`/v1/groningen/requests/${reference}/withdrawal`, withToken(token, { method: 'POST' }));

  it('shows the team and a timeline, and lets the resident withdraw before anyone accepted (200, cancelled)', async () => {
    const { reference, statusToken, team } = await receiptOf(await submit(intake));
    expect((await move(reference, 'triaged')).status).toBe(200);
    const status = await fixture.request(
      `/v1/groningen/requests/${reference}/status`,
      withToken(statusToken),
    );
    expect(await status.json()).toMatchObject({
      status: 'triaged',
      team: { id: team.id, name: 'WIJ Centrum' },
      timeline: [{ status: 'received' }, { status: 'triaged' }],
      withdrawable: true,
    });
    const withdrawn = await withdraw(reference, statusToken);
    expect(withdrawn.status).toBe(200);
    expect(await withdrawn.json()).toMatchObject({ reference, status: 'cancelled', withdrawable: false });
    const read = (await (
      await fixture.request(`/v1/groningen/requests/${reference}`, { headers: admin })
    ).json()) as {
      history: { actor: string; to: string }[];
    };
    expect(read.history.at(-1)).toMatchObject({ actor: 'resident', to: 'cancelled' });
  });

  it('is a 409 once a provider has accepted, and the status stays', async () => {
    const { reference, statusToken } = await receiptOf(await submit(intake));
    const provider = (await (
      await fixture.request(
        '/v1/groningen/providers',
        json(
          'POST',
          {
            name: 'Vrijwilligers Centrum',
            tier: 'volunteers',
            categories: ['odd-jobs'],
            contact: { email: 'centrum@example.nl' },
          },
          admin,
        ),
      )
    ).json()) as { id: string };
    for (const [to, extra] of [
      ['triaged', {}],
      ['offered', { providerId: provider.id }],
      ['accepted', { providerId: provider.id }],
    ] as const)
      expect((await move(reference, to, extra)).status, to).toBe(200);
    const late = await expectProblem(await withdraw(reference, statusToken), 409, 'withdrawal-too-late');
    expect(late.requestStatus).toBe('accepted');
    const status = await fixture.request(
      `/v1/groningen/requests/${reference}/status`,
      withToken(statusToken),
    );
    expect(await status.json()).toMatchObject({ status: 'accepted', withdrawable: false });
  });

  it('gives the team a new status link for a resident who lost theirs; the old one stops working', async () => {
    const { reference, statusToken } = await receiptOf(await submit(intake));
    const triage = (await (
      await fixture.request(
        '/v1/groningen/api-keys',
        json('POST', { name: 'Wijkteam', scopes: ['requests:triage'] }, admin),
      )
    ).json()) as { key: string };
    const res = await fixture.request(`/v1/groningen/requests/${reference}/status-tokens`, {
      method: 'POST',
      headers: bearer(triage.key),
    });
    expect(res.status).toBe(201);
    const issued = (await res.json()) as { statusToken: string; statusUrl: string };
    expect(issued.statusUrl).toBe(
      `${fixture.runtime.events.publicBaseUrl}/status/groningen/${reference}#${issued.statusToken}`,
    );
    const status = (token: string) =>
      fixture.request(`/v1/groningen/requests/${reference}/status`, withToken(token));
    expect((await status(issued.statusToken)).status).toBe(200);
    expect((await status(statusToken)).status).toBe(404);
    // Residents cannot do this themselves.
    await expectProblem(
      await fixture.request(`/v1/groningen/requests/${reference}/status-tokens`, { method: 'POST' }),
      401,
      'unauthorized',
    );
    const audit = (await (
      await fixture.request(`/v1/groningen/request-audit-events?reference=${reference}`, { headers: admin })
    ).json()) as { auditEvents: { action: string }[] };
    expect(audit.auditEvents.map((e) => e.action)).toContain('request.status-token-issued');
  });

  it('answers a wrong token exactly as an unknown reference (404), and needs the token', async () => {
    const { reference } = await receiptOf(await submit(intake));
    const wrong = await withdraw(reference, 'x'.repeat(43));
    const unknown = await withdraw('GRO-2020-999999', 'x'.repeat(43));
    const [a, b] = [
      await expectProblem(wrong, 404, 'not-found'),
      await expectProblem(unknown, 404, 'not-found'),
    ];
    expect(a.detail).toBe(b.detail);
    await expectProblem(
      await fixture.request(`/v1/groningen/requests/${reference}/withdrawal`, { method: 'POST' }),
      400,
      'validation-failed',
    );
  });

  it('lets any website send what residents send (intake, status, withdrawal) across origins', async () => {
    const origin = 'https://www.gemeente.example';
    for (const [path, method] of [
      ['/v1/groningen/requests', 'POST'],
      ['/v1/groningen/requests/GRO-2026-000001/withdrawal', 'POST'],
      ['/v1/groningen/requests/GRO-2026-000001/status', 'GET'],
    ]) {
      const preflight = await fixture.request(path as string, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': method as string,
          'Access-Control-Request-Headers': 'content-type,idempotency-key,status-token',
        },
      });
      expect(preflight.status, path).toBe(204);
      expect(preflight.headers.get('Access-Control-Allow-Origin'), path).toBe('*');
    }
    // Not the staff routes: the list stays behind the tenant's allow-list.
    const list = await fixture.request('/v1/groningen/requests', {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' },
    });
    expect(list.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

describe('the status page and the help form on Node', () => {
  it('serves the page under a strict policy with no referrer, and the scripts with their caching and cross-origin headers', async () => {
    const { createApp } = await import('../../src/app.ts');
    const { nodeStaticAssets } = await import('../../src/node-assets.ts');
    const app = createApp({ runtime: () => fixture.runtime, assets: nodeStaticAssets() });
    const page = await app.request('/status/groningen/GRO-2026-000001');
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Security-Policy')).toMatch(
      /^default-src 'none'; script-src 'self'; connect-src 'self'/,
    );
    expect(page.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(page.headers.get('X-Frame-Options')).toBe('DENY');
    expect(await page.text()).toContain('src="/status.js"');
    expect((await app.request('/status/nergens/NER-2026-000001')).status).toBe(404);

    const form = await app.request('/hulpvraag.js');
    expect(form.status).toBe(200);
    expect(form.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
    expect(form.headers.get('Cache-Control')).toBe('public, max-age=300');
    expect(await form.text()).toContain('customElements.define("wijkteam-hulpvraag"');
    const widget = await app.request('/widget.js');
    expect(widget.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
    expect((await app.request('/status.js')).status).toBe(200);
  });
});
