import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
  category: 'odd-jobs',
  description: 'Mijn lamp in de woonkamer moet worden opgehangen; ik heb last van mijn rug.',
  contact: { name: 'Jannie de Vries', email: 'jannie@example.nl' },
  consent: true,
};
const submit = (body: unknown, headers: Record<string, string> = {}) =>
  fixture.request('/v1/groningen/requests', json('POST', body, headers));
const count = async () =>
  (
    (await (await fixture.request('/v1/groningen/requests?limit=100', { headers: admin })).json()) as {
      requests: unknown[];
    }
  ).requests.length;

describe('POST /v1/{tenant}/requests', () => {
  it('takes a resident’s request, routes it by postcode and answers with a reference and a one-time status token', async () => {
    const res = await submit(intake);
    expect(res.status).toBe(201);
    const receipt = (await res.json()) as { reference: string; statusToken: string };
    expect(receipt).toMatchObject({
      status: 'received',
      team: { name: 'WIJ Centrum' },
      routedToDefault: false,
    });
    expect(receipt.reference).toMatch(/^GRO-\d{4}-\d{6}$/);
    expect(receipt.statusToken.length).toBeGreaterThanOrEqual(22);

    const status = await fixture.request(`/v1/groningen/requests/${receipt.reference}/status`, {
      headers: { 'Status-Token': receipt.statusToken },
    });
    expect(status.status).toBe(200);
    const body = (await status.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual([
      'lastChangedAt',
      'receivedAt',
      'reference',
      'slaDueAt',
      'status',
      'team',
      'timeline',
      'withdrawable',
    ]);
    await expectProblem(
      await fixture.request(`/v1/groningen/requests/${receipt.reference}/status`, {
        headers: { 'Status-Token': 'x'.repeat(43) },
      }),
      404,
      'not-found',
    );
  });

  it('refuses unknown fields such as a bsn, lists every invalid field, and stores nothing', async () => {
    const before = await count();
    const res = await submit({ ...intake, bsn: '123456782', contact: { name: '' }, consent: false });
    const body = await expectProblem(res, 400, 'validation-failed');
    const names = (body.invalidParams as { name: string }[]).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['body.bsn', 'body.consent', 'body.contact.name']));

    // Shape, format and the tenant's own categories, all in one answer (not one kind per try).
    const all = await submit({
      postcode: '0000 XX',
      category: 'skydiving',
      contact: { name: 'J', email: 'nope' },
      consent: false,
      bsn: '1',
    });
    const everything = (await expectProblem(all, 400, 'validation-failed')).invalidParams as {
      name: string;
    }[];
    expect(everything.map((p) => p.name).sort()).toEqual(
      [
        'body.bsn',
        'body.category',
        'body.consent',
        'body.contact.email',
        'body.description',
        'body.postcode',
      ].sort(),
    );
    expect(await count()).toBe(before);
    await expectProblem(
      await fixture.request('/v1/groningen/requests', {
        method: 'POST',
        body: 'x',
        headers: { 'Content-Type': 'text/plain' },
      }),
      415,
      'unsupported-media-type',
    );
    await expectProblem(
      await submit({ ...intake, description: 'x'.repeat(70_000) }),
      413,
      'payload-too-large',
    );
    await expectProblem(await submit({ ...intake, category: 'haircuts' }), 400, 'validation-failed');
    expect(await count()).toBe(before);
  });

  it('records the partner that submits on a resident’s behalf, and needs requests:write for it', async () => {
    const key = async (scopes: string[]) =>
      (await (
        await fixture.request('/v1/groningen/api-keys', json('POST', { name: 'Huisarts', scopes }, admin))
      ).json()) as {
        id: string;
        key: string;
      };
    const writer = await key(['requests:write']);
    const res = await submit(intake, bearer(writer.key));
    expect(res.status).toBe(201);
    const { reference } = (await res.json()) as { reference: string };
    const read = await fixture.request(`/v1/groningen/requests/${reference}`, { headers: admin });
    expect(await read.json()).toMatchObject({ submittedBy: { kind: 'partner', keyId: writer.id } });
    const reader = await key(['requests:read']);
    await expectProblem(await submit(intake, bearer(reader.key)), 403, 'forbidden');
  });
});

describe('reading, triage and erasure', () => {
  it('decrypts for requests:read, audits every read, moves through the status flow and refuses an illegal move', async () => {
    const { reference } = (await (await submit(intake)).json()) as { reference: string };
    const read = await fixture.request(`/v1/groningen/requests/${reference}`, { headers: admin });
    expect(await read.json()).toMatchObject({
      description: intake.description,
      contact: { name: 'Jannie de Vries' },
    });
    const audit = (await (
      await fixture.request(`/v1/groningen/request-audit-events?reference=${reference}`, { headers: admin })
    ).json()) as { auditEvents: { action: string }[] };
    expect(audit.auditEvents.map((e) => e.action)).toEqual(
      expect.arrayContaining(['request.created', 'request.read']),
    );

    const move = (to: string, extra: object = {}) =>
      fixture.request(
        `/v1/groningen/requests/${reference}/transitions`,
        json('POST', { to, ...extra }, admin),
      );
    await expectProblem(await move('resolved'), 409, 'illegal-transition');
    const unknownTarget = await expectProblem(await move('bogus'), 400, 'validation-failed');
    expect(unknownTarget.invalidParams).toEqual([
      { name: 'body.to', reason: expect.stringMatching(/^One of received, triaged, .*, declined$/) },
    ]);
    expect((await move('triaged')).status).toBe(200);
    const provider = (await (
      await fixture.request(
        '/v1/groningen/providers',
        json(
          'POST',
          {
            name: 'Vrijwilligers WIJ Centrum',
            tier: 'volunteers',
            categories: ['odd-jobs'],
            contact: { email: 'vrijwilligers@wij.example.nl' },
          },
          admin,
        ),
      )
    ).json()) as { id: string };
    // A provider answers with a key of this municipality that exists.
    const unknownKey = await expectProblem(
      await fixture.request(
        '/v1/groningen/providers',
        json(
          'POST',
          {
            name: 'X',
            tier: 'volunteers',
            categories: ['odd-jobs'],
            contact: { phone: '06 12345678' },
            keyId: 'key_bogus',
          },
          admin,
        ),
      ),
      400,
      'validation-failed',
    );
    expect(unknownKey.invalidParams).toEqual([expect.objectContaining({ name: 'body.keyId' })]);
    expect((await move('offered', { providerId: provider.id })).status).toBe(200);
    expect((await move('accepted', { providerId: provider.id })).status).toBe(200);
    for (const to of ['in_progress', 'resolved', 'closed']) expect((await move(to)).status, to).toBe(200);

    const erased = await fixture.request(`/v1/groningen/requests/${reference}`, {
      method: 'DELETE',
      headers: admin,
    });
    expect(await erased.json()).toMatchObject({ reference, alreadyErased: false });
    const after = (await (
      await fixture.request(`/v1/groningen/requests/${reference}`, { headers: admin })
    ).json()) as Record<string, unknown>;
    expect(after).toMatchObject({ description: null, contact: null, anonymised: true, status: 'closed' });
  });

  it('writes no personal data to the logs, and none travels in URLs', async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(String(line)));
    const error = vi
      .spyOn(console, 'error')
      .mockImplementation((line: string) => void lines.push(String(line)));
    try {
      const { reference } = (await (await submit(intake)).json()) as { reference: string };
      await fixture.request(`/v1/groningen/requests/${reference}`, { headers: admin });
      await submit({ ...intake, bsn: '123456782' });
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
    const output = lines.join('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const personal of ['Jannie', 'jannie@example.nl', 'lamp', '9712', '123456782'])
      expect(output).not.toContain(personal);
  });
});

describe('the triage ladder', () => {
  it('is configurable per tenant, and a decline moves the request down it', async () => {
    const ladder = await fixture.request(
      '/v1/alkmaar/triage-ladder',
      json(
        'PUT',
        {
          tiers: [
            { slug: 'voor-mekaar', name: { nl: 'Voor Mekaar', en: 'Voor Mekaar' } },
            { slug: 'company', name: { nl: 'Bedrijf', en: 'Company' } },
          ],
        },
        admin,
      ),
    );
    expect(await ladder.json()).toMatchObject({ tiers: [{ slug: 'voor-mekaar' }, { slug: 'company' }] });
    const providerKey = (await (
      await fixture.request(
        '/v1/alkmaar/api-keys',
        json('POST', { name: 'Vrijwilliger', scopes: ['requests:triage'] }, admin),
      )
    ).json()) as { id: string; key: string };
    const provider = (await (
      await fixture.request(
        '/v1/alkmaar/providers',
        json(
          'POST',
          {
            name: 'Voor Mekaar vrijwilligers',
            tier: 'voor-mekaar',
            categories: ['errands'],
            contact: { email: 'vrijwilligers@voormekaar.example.nl' },
            keyId: providerKey.id,
          },
          admin,
        ),
      )
    ).json()) as { id: string };
    const receipt = (await (
      await fixture.request(
        '/v1/alkmaar/requests',
        json('POST', { ...intake, postcode: '1811AB', category: 'errands' }),
      )
    ).json()) as { reference: string };
    const move = (body: object, auth = admin) =>
      fixture.request(`/v1/alkmaar/requests/${receipt.reference}/transitions`, json('POST', body, auth));
    expect(await (await move({ to: 'triaged' })).json()).toMatchObject({ tier: 'voor-mekaar' });
    expect((await move({ to: 'offered', providerId: provider.id })).status).toBe(200);
    const otherKey = (await (
      await fixture.request(
        '/v1/alkmaar/api-keys',
        json('POST', { name: 'Ander', scopes: ['requests:triage'] }, admin),
      )
    ).json()) as { key: string };
    await expectProblem(
      await move({ to: 'declined', providerId: provider.id }, bearer(otherKey.key)),
      403,
      'forbidden',
    );
    const declined = await move({ to: 'declined', providerId: provider.id }, bearer(providerKey.key));
    expect(await declined.json()).toMatchObject({ status: 'triaged', tier: 'company' });
  });
});
