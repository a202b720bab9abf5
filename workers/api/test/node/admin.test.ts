import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, nodeAppFixture } from './fixture.ts';
import { bearer, expectProblem, json } from './helpers.ts';

/**
 * A municipality that runs itself: Amersfoort, onboarded by the platform, then everything else with
 * its own key that has nothing but `tenant:admin`.
 */
let fixture: Awaited<ReturnType<typeof nodeAppFixture>>;
const platform = bearer(ADMIN_KEY);
let own: Record<string, string>;
let ownKeyId: string;

beforeAll(async () => {
  fixture = await nodeAppFixture();
  const onboarded = await fixture.request(
    '/v1/tenants',
    json('POST', { slug: 'amersfoort', name: 'Gemeente Amersfoort', municipalityCode: 'GM0307' }, platform),
  );
  expect(onboarded.status).toBe(201);
  const key = await fixture.request(
    '/v1/amersfoort/api-keys',
    json('POST', { name: 'Beheer Amersfoort', kind: 'staff', scopes: ['tenant:admin'] }, platform),
  );
  const created = (await key.json()) as { id: string; key: string };
  own = bearer(created.key);
  ownKeyId = created.id;
});
afterAll(() => fixture.cleanup());

const call = (path: string, init?: RequestInit) => fixture.request(`/v1/amersfoort${path}`, init);
const patch = (path: string, body: unknown, auth = own) => call(path, json('PATCH', body, auth));
const post = (path: string, body: unknown, auth = own) => call(path, json('POST', body, auth));
const get = async <T = Record<string, unknown>>(path: string, auth = own) => {
  const res = await call(path, { headers: auth });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
};
/** A resident's request for help, as the widget sends it. */
const helpRequest = (postcode: string, category = 'odd-jobs') => ({
  postcode,
  category,
  description: 'Een lamp ophangen.',
  contact: { name: 'Test', email: 'test@example.org' },
  consent: true,
});
const names = (problem: Record<string, unknown>) =>
  (problem.invalidParams as { name: string }[]).map((p) => p.name).sort();
const auditActions = async () =>
  (await get<{ auditEvents: { action: string; result: string }[] }>('/audit-events')).auditEvents.map(
    (e) => `${e.action}:${e.result}`,
  );

describe('settings, with its own tenant:admin key', () => {
  it('reads them with every default filled in', async () => {
    const { messageTemplates, ...settings } = await get<{ messageTemplates: { custom: boolean }[] }>(
      '/settings',
    );
    // Six kinds (four to residents, two to providers), two languages, two channels.
    expect(messageTemplates).toHaveLength(24);
    expect(messageTemplates.every((t) => !t.custom)).toBe(true);
    expect(settings).toEqual({
      referencePrefix: 'AME',
      corsOrigins: [],
      keyRateLimitPerMinute: 600,
      publicRateLimitPerMinute: 120,
      rateLimitCaps: { keyRateLimitPerMinute: 600, publicRateLimitPerMinute: 120 },
      offerTimeoutHours: 48,
      slaCalendar: { liberationDay: 'every-year', goodFriday: false, closedDays: [] },
      payoutAccount: null,
    });
  });

  it('sets its website’s origin, the offer timeout, lower rate limits and its SLA calendar', async () => {
    const res = await patch('/settings', {
      corsOrigins: ['https://www.amersfoort.nl'],
      offerTimeoutHours: 72,
      keyRateLimitPerMinute: 300,
      slaCalendar: { liberationDay: 'lustrum', goodFriday: true, closedDays: ['2026-05-15'] },
    });
    expect(res.status).toBe(200);
    const settings = await res.json();
    expect(settings).toMatchObject({
      corsOrigins: ['https://www.amersfoort.nl'],
      offerTimeoutHours: 72,
      keyRateLimitPerMinute: 300,
      publicRateLimitPerMinute: 120,
      slaCalendar: { liberationDay: 'lustrum', goodFriday: true, closedDays: ['2026-05-15'] },
    });
    // What GET answers, PATCH takes, and changes nothing.
    const again = await patch('/settings', await get('/settings'));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(settings);
    // The origin works at once: a browser on the municipality's site may call its admin routes.
    const cors = await call('/settings', { headers: { ...own, Origin: 'https://www.amersfoort.nl' } });
    expect(cors.headers.get('Access-Control-Allow-Origin')).toBe('https://www.amersfoort.nl');
    const foreign = await call('/settings', { headers: { ...own, Origin: 'https://evil.example' } });
    expect(foreign.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('gets 403 raising its rate limits past the platform’s caps or changing the caps, and nothing is stored', async () => {
    const before = await get('/settings');
    const raise = await expectProblem(
      await patch('/settings', { corsOrigins: ['https://x.amersfoort.nl'], keyRateLimitPerMinute: 601 }),
      403,
      'above-cap',
    );
    expect(raise.field).toBe('body.keyRateLimitPerMinute');
    await expectProblem(await patch('/settings', { publicRateLimitPerMinute: 5000 }), 403, 'above-cap');
    await expectProblem(
      await patch('/settings', {
        rateLimitCaps: { keyRateLimitPerMinute: 10_000, publicRateLimitPerMinute: 120 },
      }),
      403,
      'above-cap',
    );
    expect(await get('/settings')).toEqual(before);
    // Up to the cap is fine; the platform raises the cap, and then the municipality may go higher.
    expect((await patch('/settings', { keyRateLimitPerMinute: 600 })).status).toBe(200);
    const raised = await patch(
      '/settings',
      { rateLimitCaps: { keyRateLimitPerMinute: 2000, publicRateLimitPerMinute: 120 } },
      platform,
    );
    expect(raised.status).toBe(200);
    expect((await patch('/settings', { keyRateLimitPerMinute: 1500 })).status).toBe(200);
    expect(await auditActions()).toContain('tenant.settings-change:denied');
  });

  it('sets the wording of a message to residents, and refuses an unknown placeholder', async () => {
    const sms = { kind: 'request.created', language: 'nl', channel: 'sms', subject: null };
    const res = await patch('/settings', {
      messageTemplates: [
        { ...sms, body: 'Gemeente Amersfoort: kenmerk ((reference)). Status: ((statusLink))' },
      ],
    });
    expect(res.status).toBe(200);
    type Listed = {
      messageTemplates: { kind: string; language: string; channel: string; custom: boolean; body: string }[];
    };
    const find = (s: Listed) =>
      s.messageTemplates.find((t) => t.kind === sms.kind && t.language === 'nl' && t.channel === 'sms');
    expect(find((await res.json()) as Listed)).toMatchObject({
      custom: true,
      body: expect.stringContaining('Amersfoort'),
    });
    const bad = await expectProblem(
      await patch('/settings', {
        offerTimeoutHours: 0,
        messageTemplates: [{ ...sms, body: 'Hallo ((bsn))' }],
      }),
      400,
      'validation-failed',
    );
    expect(names(bad)).toEqual(['body.messageTemplates.0.body', 'body.offerTimeoutHours']);
    const after = await get<Listed & { offerTimeoutHours: number }>('/settings');
    expect(after.offerTimeoutHours).toBe(72);
    expect(find(after)?.body).toContain('Amersfoort');
    // The message-templates route sees the same wording.
    const listed = await get<{ templates: { custom: boolean }[] }>('/message-templates');
    expect(listed.templates.filter((t) => t.custom)).toHaveLength(1);
    expect(await auditActions()).toContain('message-templates.changed:success');
  });

  it('names every bad field in one 400 and stores nothing', async () => {
    const before = await get('/settings');
    const problem = await expectProblem(
      await patch('/settings', {
        corsOrigins: ['https://www.amersfoort.nl/pad'],
        offerTimeoutHours: 0,
        slaCalendar: { liberationDay: 'sometimes', closedDays: ['2026-02-30'] },
        referencePrefix: 'am',
        bsn: '123456782',
      }),
      400,
      'validation-failed',
    );
    expect(names(problem)).toEqual([
      'body.bsn',
      'body.corsOrigins.0',
      'body.offerTimeoutHours',
      'body.referencePrefix',
      'body.slaCalendar.closedDays.0',
      'body.slaCalendar.liberationDay',
    ]);
    await expectProblem(await patch('/settings', {}), 400, 'validation-failed');
    expect(await get('/settings')).toEqual(before);
  });

  it('is the municipality’s own: another tenant’s admin key and a key without tenant:admin get 403', async () => {
    const zeist = await fixture.request(
      '/v1/zeist/api-keys',
      json('POST', { name: 'Zeist beheer', scopes: ['tenant:admin'] }, platform),
    );
    const zeistKey = bearer(((await zeist.json()) as { key: string }).key);
    await expectProblem(await call('/settings', { headers: zeistKey }), 403, 'forbidden');
    const reader = await post('/api-keys', { name: 'Lezer', scopes: ['requests:read'] }, platform);
    const readerKey = bearer(((await reader.json()) as { key: string }).key);
    await expectProblem(await patch('/settings', { offerTimeoutHours: 1 }, readerKey), 403, 'forbidden');
    await expectProblem(await call('/settings'), 401, 'unauthorized');
  });
});

describe('reference prefixes', () => {
  it('derives different prefixes for Den Haag and Den Helder at onboarding', async () => {
    const onboard = async (slug: string, name: string, municipalityCode: string) => {
      const res = await fixture.request(
        '/v1/tenants',
        json('POST', { slug, name, municipalityCode }, platform),
      );
      expect(res.status).toBe(201);
      return ((await res.json()) as { referencePrefix: string }).referencePrefix;
    };
    const haag = await onboard('den-haag', 'Gemeente Den Haag', 'GM0518');
    const helder = await onboard('den-helder', 'Gemeente Den Helder', 'GM0400');
    expect(haag).toBe('DHA');
    expect(helder).toBe('DHE');
    // The launch tenants keep theirs.
    const { referencePrefix } = (await (
      await fixture.request('/v1/tenants/groningen', { headers: platform })
    ).json()) as { referencePrefix: string };
    expect(referencePrefix).toBe('GRO');
    // A prefix asked for at onboarding that is taken is a 409.
    await expectProblem(
      await fixture.request(
        '/v1/tenants',
        json(
          'POST',
          { slug: 'heerlen', name: 'Heerlen', municipalityCode: 'GM0917', referencePrefix: 'DHA' },
          platform,
        ),
      ),
      409,
      'conflict',
    );
  });

  it('lets the admin choose it before the first request: a taken one is a 409, and after the first request too', async () => {
    await expectProblem(await patch('/settings', { referencePrefix: 'GRO' }), 409, 'reference-prefix-taken');
    const chosen = await patch('/settings', { referencePrefix: 'AMF' });
    expect(chosen.status).toBe(200);
    expect(await chosen.json()).toMatchObject({ referencePrefix: 'AMF' });
    // References start with it once the municipality takes requests (it needs a team for that).
    await post('/teams', { name: 'Wijkteam Centrum', kind: 'sociaal-team', isDefaultIntake: true });
    const request = await post('/requests', helpRequest('3811 AA'), {});
    expect(request.status).toBe(201);
    expect(((await request.json()) as { reference: string }).reference).toMatch(/^AMF-\d{4}-000001$/);
    await expectProblem(await patch('/settings', { referencePrefix: 'AMS' }), 409, 'reference-prefix-fixed');
    expect(await get('/settings')).toMatchObject({ referencePrefix: 'AMF' });
  });
});

describe('keys, ladder and providers', () => {
  it('revokes only keys whose scopes it could have granted', async () => {
    const mightier = await post(
      '/api-keys',
      { name: 'Kassa', scopes: ['vouchers:issue', 'tenant:admin'] },
      platform,
    );
    const mightierId = ((await mightier.json()) as { id: string }).id;
    await expectProblem(
      await call(`/api-keys/${mightierId}`, { method: 'DELETE', headers: own }),
      403,
      'forbidden',
    );
    expect(await auditActions()).toContain('key.revoke:denied');
    const peer = await post('/api-keys', { name: 'Collega', scopes: ['tenant:admin'] }, platform);
    const peerId = ((await peer.json()) as { id: string }).id;
    expect((await call(`/api-keys/${peerId}`, { method: 'DELETE', headers: own })).status).toBe(204);
    // The platform admin may revoke any.
    expect((await call(`/api-keys/${mightierId}`, { method: 'DELETE', headers: platform })).status).toBe(204);
    expect(ownKeyId).toMatch(/^key_/);
  });

  it('reads back the triage ladder and the providers it set', async () => {
    const ladder = await call(
      '/triage-ladder',
      json('PUT', { tiers: [{ slug: 'volunteers', name: { nl: 'Vrijwilligers', en: 'Volunteers' } }] }, own),
    );
    expect(ladder.status).toBe(200);
    expect(await get('/triage-ladder')).toEqual({
      tiers: [{ slug: 'volunteers', name: { nl: 'Vrijwilligers', en: 'Volunteers' } }],
    });
    expect((await get('/providers')).providers).toEqual([]);
    expect(await auditActions()).toContain('triage-ladder.replaced:success');
  });
});

describe('categories of its own', () => {
  it('adds “Samen koken”, names every bad field, and refuses a slug that exists', async () => {
    const created = await post('/categories', {
      slug: 'samen-koken',
      name: { nl: 'Samen koken', en: 'Cooking together' },
      slaDays: 10,
      needsSchedule: true,
      leadTimeHours: 48,
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ slug: 'samen-koken', slaDays: 10, active: true });
    const listed = await get<{ categories: { slug: string }[] }>('/categories', {});
    expect(listed.categories.map((c) => c.slug)).toContain('samen-koken');

    await expectProblem(
      await post('/categories', { slug: 'samen-koken', name: { nl: 'Koken', en: 'Cooking' }, slaDays: 3 }),
      409,
      'conflict',
    );
    const bad = await expectProblem(
      await post('/categories', { slug: 'Samen Eten', name: { nl: '' }, slaDays: 0, bsn: '1' }),
      400,
      'validation-failed',
    );
    expect(names(bad)).toEqual(['body.bsn', 'body.name.en', 'body.name.nl', 'body.slaDays', 'body.slug']);
    expect((await get<{ categories: unknown[] }>('/categories?include=inactive')).categories).toHaveLength(9);
  });

  it('retires “Vervoer”: gone from the public list and intake; requests made with it keep it and their due date', async () => {
    const body = helpRequest('3811 AA', 'errands');
    const made = (await (await post('/requests', body, {})).json()) as {
      reference: string;
      slaDueAt: string;
    };
    expect((await patch('/categories/errands', { active: false, slaDays: 20 })).status).toBe(200);
    const publicList = await get<{ categories: { slug: string }[] }>('/categories', {});
    expect(publicList.categories.map((c) => c.slug)).not.toContain('errands');
    const refused = await expectProblem(await post('/requests', body, {}), 400, 'validation-failed');
    expect(names(refused)).toEqual(['body.category']);

    const reader = await post('/api-keys', { name: 'Lezer', scopes: ['requests:read'] }, platform);
    const readerKey = bearer(((await reader.json()) as { key: string }).key);
    const kept = await get<{ category: string; slaDueAt: string }>(`/requests/${made.reference}`, readerKey);
    expect(kept).toMatchObject({ category: 'errands', slaDueAt: made.slaDueAt });

    const all = await get<{ categories: { slug: string; active: boolean }[] }>(
      '/categories?include=inactive',
    );
    expect(all.categories.find((c) => c.slug === 'errands')).toMatchObject({ active: false, slaDays: 20 });
    await expectProblem(await call('/categories?include=inactive'), 401, 'unauthorized');
    await expectProblem(await patch('/categories/unknown', { active: false }), 404, 'not-found');
    await expectProblem(await patch('/categories/errands', { slug: 'x' }), 400, 'validation-failed');
    expect(await auditActions()).toEqual(
      expect.arrayContaining(['category.created:success', 'category.updated:success']),
    );
  });
});

type Team = {
  id: string;
  kind: string;
  kindName: { nl: string; en: string };
  address: Record<string, unknown>;
  active: boolean;
};

describe('teams: kinds, one address shape, out of service and back, deletion', () => {
  let vathorst: Team;
  let centrum: Team;

  it('adds a team of a kind of its own, with the address in the shape it answers', async () => {
    const res = await post('/teams', {
      name: 'Buurtteam Vathorst',
      kind: 'buurtteam',
      kindName: { nl: 'Buurtteam', en: 'Neighbourhood team' },
      address: {
        street: 'Hooglandseweg',
        houseNumber: 2,
        houseLetter: 'b',
        postcode: '3825 aa',
        city: 'Amersfoort',
      },
      phone: '033 469 44 44',
    });
    expect(res.status).toBe(201);
    vathorst = (await res.json()) as Team;
    expect(vathorst).toMatchObject({
      kind: 'buurtteam',
      kindName: { nl: 'Buurtteam', en: 'Neighbourhood team' },
      address: {
        street: 'Hooglandseweg',
        houseNumber: 2,
        houseLetter: 'B',
        houseNumberAddition: null,
        postcode: '3825AA',
        city: 'Amersfoort',
      },
      active: true,
    });
    // What GET answers, PATCH takes, and it changes nothing.
    const answer = await get<Team>(`/teams/${vathorst.id}`, {});
    const back = await patch(`/teams/${vathorst.id}`, answer);
    expect(back.status).toBe(200);
    expect(await back.json()).toEqual(answer);
    centrum = (await get<{ teams: Team[] }>('/teams', {})).teams.find(
      (t) => t.kind === 'sociaal-team',
    ) as Team;
  });

  it('names every bad field in one 400, an unknown kind and a bad postcode included, and stores nothing', async () => {
    const problem = await expectProblem(
      await post('/teams', {
        name: '',
        kind: 'wijkploeg',
        address: { postcode: '0123AB', houseLetter: 'AB', street: 'Hof 1' },
        street: 'Hof 1',
      }),
      400,
      'validation-failed',
    );
    expect(names(problem)).toEqual([
      'body.address.houseLetter',
      'body.address.postcode',
      'body.kind',
      'body.name',
      'body.street',
    ]);
    await expectProblem(await patch(`/teams/${vathorst.id}`, { id: centrum.id }), 400, 'validation-failed');
    expect((await get<{ teams: Team[] }>('/teams', {})).teams).toHaveLength(2);
  });

  it('takes a team out of lists, lookups and routing, and back; an inactive team answers no lookup', async () => {
    const csv = `teamId,postcode\n${vathorst.id},3825\n${centrum.id},3811\n`;
    const put = await call('/postcode-areas', {
      method: 'PUT',
      body: csv,
      headers: { ...own, 'Content-Type': 'text/csv' },
    });
    expect(put.status).toBe(200);
    const lookup = async () => (await get<{ team: { id: string } }>('/postcodes/3825AA', {})).team.id;
    expect(await lookup()).toBe(vathorst.id);

    const off = await patch(`/teams/${vathorst.id}`, { active: false });
    expect(off.status).toBe(200);
    expect(await off.json()).toMatchObject({ active: false });
    // Its rule stops applying: the lookup falls back to the default intake team, as if it were not there.
    const fallback = await get<{ team: { id: string }; match: { level: string } }>('/postcodes/3825AA', {});
    expect(fallback).toMatchObject({ team: { id: centrum.id }, match: { level: 'default' } });
    expect((await get<{ teams: Team[] }>('/teams', {})).teams.map((t) => t.id)).toEqual([centrum.id]);
    await expectProblem(await call(`/teams/${vathorst.id}`), 404, 'not-found');
    expect(await get<Team>(`/teams/${vathorst.id}?include=inactive`)).toMatchObject({ active: false });
    expect((await get<{ teams: Team[] }>('/teams?include=inactive')).teams).toHaveLength(2);
    const routed = await post('/requests', helpRequest('3825AA'), {});
    expect(await routed.json()).toMatchObject({ team: { id: centrum.id }, routedToDefault: true });

    expect((await patch(`/teams/${vathorst.id}`, { active: true })).status).toBe(200);
    expect(await lookup()).toBe(vathorst.id);
    expect(await auditActions()).toEqual(
      expect.arrayContaining(['team.deactivated:success', 'team.reactivated:success']),
    );
  });

  it('deletes a team without history, and keeps one with history', async () => {
    const duplicate = (await (
      await post('/teams', { name: 'Buurtteam Vathorst', kind: 'buurtteam' })
    ).json()) as Team;
    expect((await call(`/teams/${duplicate.id}`, { method: 'DELETE', headers: own })).status).toBe(204);
    await expectProblem(
      await call(`/teams/${duplicate.id}`, { method: 'DELETE', headers: own }),
      404,
      'not-found',
    );
    // Centrum has requests; Vathorst has coverage rules.
    await expectProblem(
      await call(`/teams/${centrum.id}`, { method: 'DELETE', headers: own }),
      409,
      'conflict',
    );
    await expectProblem(
      await call(`/teams/${vathorst.id}`, { method: 'DELETE', headers: own }),
      409,
      'conflict',
    );
    expect(await auditActions()).toContain('team.deleted:success');
  });
});

describe('coverage export', () => {
  it('gives the coverage in the format PUT takes: export, import, export is byte for byte the same (CSV and JSON)', async () => {
    const { teams } = await get<{ teams: Team[] }>('/teams', {});
    const [a, b] = teams.map((t) => t.id) as [string, string];
    const source = [
      'teamId,postcode,houseFrom,houseTo,parity,validFrom,validTo',
      `${b},3811 ab,1,99,odd,,`,
      `${a},3825,,,,2026-01-01,2026-12-31`,
      `${b},3825,,,,2027-01-01,`,
      `${a},3811AB,2,98,even,,`,
      `${b},3812,,,,,`,
    ].join('\n');
    const putCsv = (body: string) =>
      call('/postcode-areas', { method: 'PUT', body, headers: { ...own, 'Content-Type': 'text/csv' } });
    const exportCsv = async () => {
      const res = await call('/postcode-areas', { headers: { ...own, Accept: 'text/csv' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toMatch(/^text\/csv/);
      return res.text();
    };
    expect((await putCsv(source)).status).toBe(200);
    const first = await exportCsv();
    expect(first.split('\n')[0]).toBe('teamId,postcode,houseFrom,houseTo,parity,validFrom,validTo');
    expect(first).toContain(`${b},3811AB,1,99,odd,,\n`);
    expect((await putCsv(first)).status).toBe(200);
    expect(await exportCsv()).toBe(first);

    const exportJson = async () => (await call('/postcode-areas', { headers: own })).text();
    const firstJson = await exportJson();
    expect(JSON.parse(firstJson).rules).toHaveLength(5);
    expect(JSON.parse(firstJson).rules[0]).toEqual({
      teamId: b,
      postcode: '3811AB',
      houseFrom: 1,
      houseTo: 99,
      parity: 'odd',
    });
    const putJson = await call('/postcode-areas', {
      method: 'PUT',
      body: firstJson,
      headers: { ...own, 'Content-Type': 'application/json' },
    });
    expect(putJson.status).toBe(200);
    expect(await exportJson()).toBe(firstJson);
    expect(await exportCsv()).toBe(first);
    await expectProblem(await call('/postcode-areas', { headers: {} }), 401, 'unauthorized');
  });

  it('keeps the rules of a team out of service, so they can be put back', async () => {
    const { teams } = await get<{ teams: Team[] }>('/teams', {});
    const vathorst = teams.find((t) => t.kind === 'buurtteam') as Team;
    const before = await (await call('/postcode-areas', { headers: { ...own, Accept: 'text/csv' } })).text();
    await patch(`/teams/${vathorst.id}`, { active: false });
    const during = await (await call('/postcode-areas', { headers: { ...own, Accept: 'text/csv' } })).text();
    expect(during).toBe(before);
    const put = await call('/postcode-areas', {
      method: 'PUT',
      body: during,
      headers: { ...own, 'Content-Type': 'text/csv' },
    });
    expect(put.status).toBe(200);
    await patch(`/teams/${vathorst.id}`, { active: true });
  });
});
