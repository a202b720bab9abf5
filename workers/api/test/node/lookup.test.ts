import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN_KEY, nodeAppFixture } from './fixture.ts';
import { bearer, expectProblem } from './helpers.ts';

let fixture: Awaited<ReturnType<typeof nodeAppFixture>>;
beforeAll(async () => {
  fixture = await nodeAppFixture({ COVERAGE_RECHECK_MS: '60000', PUBLIC_RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(() => fixture.cleanup());

const admin = bearer(ADMIN_KEY);
const lookup = async (path: string, init?: RequestInit) => {
  const res = await fixture.request(path, init);
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field below
  return { res, body: (await res.json()) as Record<string, any> };
};
const teamsOf = async (tenant: string) =>
  ((await (await fixture.request(`/v1/${tenant}/teams`)).json()) as { teams: { id: string; name: string }[] })
    .teams;

describe('GET /v1/{tenant}/postcodes/{postcode}', () => {
  it('answers the serving team with its details and the rule that decided', async () => {
    const { res, body } = await lookup('/v1/groningen/postcodes/9712cp');
    expect(res.status).toBe(200);
    expect(body).toMatchObject({
      postcode: '9712CP',
      displayPostcode: '9712 CP',
      houseNumber: null,
      team: {
        name: 'WIJ Centrum',
        address: { city: 'Groningen' },
        openingHours: { mon: [{ opens: '09:00' }] },
      },
      match: { level: 'pc4', isExample: true },
    });
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=60');
  });

  it('is forgiving about how the postcode is written', async () => {
    for (const written of ['9712%20CP', '9712cp', '%EF%BC%99%EF%BC%97%EF%BC%91%EF%BC%92cp', '9712%C2%A0CP']) {
      const { body } = await lookup(`/v1/groningen/postcodes/${written}`);
      expect(body.postcode, written).toBe('9712CP');
    }
  });

  it.each(['0123AB', '1234SA', '1234SD', '1234SS', '123AB', 'x'.repeat(200)])(
    'answers %s with a 400 naming the field',
    async (bad) => {
      const body = await expectProblem(
        await fixture.request(`/v1/groningen/postcodes/${bad}`),
        400,
        'validation-failed',
      );
      expect(body.invalidParams).toEqual([expect.objectContaining({ name: 'path.postcode' })]);
    },
  );

  it('answers a postcode of another municipality with a 404 that says which one serves it', async () => {
    const body = await expectProblem(
      await fixture.request('/v1/groningen/postcodes/3511AB'),
      404,
      'postcode-not-served',
    );
    expect(body.detail).toContain('Utrecht');
    expect(body.servedBy).toEqual({ municipality: { code: 'GM0344', name: 'Utrecht' } });
  });

  it('answers If-None-Match with 304', async () => {
    const first = await fixture.request('/v1/zeist/postcodes/3701AB');
    const etag = first.headers.get('ETag') ?? '';
    expect(etag).toMatch(/^W\/"\d+-\d{4}-\d{2}-\d{2}"$/);
    const again = await fixture.request('/v1/zeist/postcodes/3701AB', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });

  it('does not query the tenant database per lookup once the index is loaded', async () => {
    await fixture.request('/v1/alkmaar/postcodes/1811AB');
    const tenant = await (await fixture.request('/v1/tenants/alkmaar', { headers: admin })).json();
    expect(tenant).toMatchObject({ slug: 'alkmaar' });
    const client = fixture.runtime.databases.tenant('file:tenants/alkmaar.db');
    const execute = vi.spyOn(client, 'execute');
    const batch = vi.spyOn(client, 'batch');
    for (let i = 0; i < 50; i++)
      expect((await fixture.request('/v1/alkmaar/postcodes/1811AB')).status).toBe(200);
    expect(execute).not.toHaveBeenCalled();
    expect(batch).not.toHaveBeenCalled();
    execute.mockRestore();
    batch.mockRestore();
  });
});

describe('GET /v1/postcodes/{postcode}', () => {
  it('names the municipality, its tenant and team where it is on the platform', async () => {
    const { res, body } = await lookup('/v1/postcodes/3734AB');
    expect(res.status).toBe(200);
    expect(body).toMatchObject({
      postcode: '3734AB',
      municipality: { code: 'GM0355', name: 'Zeist' },
      tenant: { slug: 'zeist', name: 'Gemeente Zeist' },
      team: { name: 'Wijkservicepunt Den Dolder' },
    });
    const cors = await fixture.request('/v1/postcodes/3734AB', {
      headers: { Origin: 'https://www.example.nl' },
    });
    expect(cors.headers.get('Access-Control-Allow-Origin')).toBe('*');
  });

  it('answers null tenant and team for a municipality that is not a tenant', async () => {
    const { body } = await lookup('/v1/postcodes/3511 ab');
    expect(body).toEqual({
      postcode: '3511AB',
      displayPostcode: '3511 AB',
      municipality: { code: 'GM0344', name: 'Utrecht' },
      tenant: null,
      team: null,
      match: null,
    });
  });

  it('covers every PC4 area of the CBS data', async () => {
    const { nationalPc4Areas } = await import('@wijkteams/lookup');
    const areas = nationalPc4Areas().filter((a) => a.municipality);
    let answered = 0;
    for (const area of areas) {
      const res = await fixture.request(`/v1/postcodes/${area.pc4}`);
      if (
        res.status === 200 &&
        ((await res.json()) as { municipality: { name: string } }).municipality.name === area.municipality
      ) {
        answered++;
      }
    }
    expect(answered).toBe(areas.length);
    expect(areas.length).toBe(4053);
  });

  it('answers a PC4 that CBS assigns to no municipality with a 404 problem', async () => {
    await expectProblem(await fixture.request('/v1/postcodes/1099'), 404, 'postcode-unknown');
    await expectProblem(await fixture.request('/v1/postcodes/3700'), 404, 'postcode-unknown');
  });
});

describe('PUT /v1/{tenant}/postcode-areas', () => {
  it('reports every bad CSV row with its line number and stores nothing', async () => {
    const [team] = await teamsOf('noordoostpolder');
    const csv = [
      'teamId,postcode',
      `${team?.id},8301`,
      'team_nope,8302',
      `${team?.id},1234SS`,
      `${team?.id},9712`,
    ].join('\n');
    // Media types are case-insensitive: `Text/CSV` is CSV too.
    for (const type of ['text/csv', 'Text/CSV; charset=UTF-8']) {
      const res = await fixture.request('/v1/noordoostpolder/postcode-areas', {
        method: 'PUT',
        body: csv,
        headers: { ...admin, 'Content-Type': type },
      });
      const body = await expectProblem(res, 400, 'validation-failed');
      expect((body.invalidParams as { name: string }[]).map((p) => p.name)).toEqual([
        'line:3.teamId',
        'line:4.postcode',
        'line:5.postcode',
      ]);
    }
    // Nothing changed: the seeded coverage still answers.
    const { body: still } = await lookup('/v1/noordoostpolder/postcodes/8302AB');
    expect(still.match).toMatchObject({ level: 'pc4', isExample: true });
  });

  it('replaces the coverage all at once, and the next lookup sees the change', async () => {
    // Asked before: its answer is remembered, and must not outlive the coverage it came from.
    const before = await lookup('/v1/waalre/postcodes/5582AB?houseNumber=4');
    expect(before.body).toMatchObject({ match: { isExample: true } });
    expect((await lookup('/v1/waalre/postcodes/5582AB?houseNumber=4')).body).toEqual(before.body);
    const teams = await teamsOf('waalre');
    const [aalst, dorp] = [
      teams.find((t) => t.name.includes('Aalst')),
      teams.find((t) => t.name.includes('dorp')),
    ];
    const csv = [
      'teamId,postcode,houseFrom,houseTo,parity,validFrom,validTo',
      `${dorp?.id},5581,,,,,`,
      `${dorp?.id},5582,,,,,`,
      `${aalst?.id},5583,,,,,`,
      `${aalst?.id},5582AB,,,,,`,
      `${dorp?.id},5582AB,1,99,odd,,`,
    ].join('\n');
    const res = await fixture.request('/v1/waalre/postcode-areas', {
      method: 'PUT',
      body: csv,
      headers: { ...admin, 'Content-Type': 'text/csv' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ rules: 5 });

    const even = await lookup('/v1/waalre/postcodes/5582AB?houseNumber=4');
    expect(even.body).toMatchObject({
      team: { id: aalst?.id },
      match: { level: 'pc6', isExample: false },
      houseNumberMatters: true,
    });
    const odd = await lookup('/v1/waalre/postcodes/5582AB?houseNumber=5');
    expect(odd.body).toMatchObject({ team: { id: dorp?.id }, match: { level: 'house-range' } });
    expect((await lookup('/v1/waalre/postcodes/5582XY')).body.team.id).toBe(dorp?.id);
  });

  it('takes JSON too, refuses unknown fields, and needs tenant:admin', async () => {
    const [team] = await teamsOf('zeist');
    const put = (body: unknown, headers: Record<string, string> = admin) =>
      fixture.request('/v1/zeist/postcode-areas', {
        method: 'PUT',
        body: JSON.stringify(body),
        headers: { ...headers, 'Content-Type': 'application/json' },
      });
    const unknown = await expectProblem(
      await put({ rules: [{ teamId: team?.id, postcode: '3701', bsn: 'x' }] }),
      400,
      'validation-failed',
    );
    expect(unknown.invalidParams).toEqual([
      { name: 'body.rules.0.bsn', reason: 'Unknown field; it is not accepted' },
    ]);
    await expectProblem(await put({ rules: [] }, {}), 401, 'unauthorized');
    await expectProblem(
      await fixture.request('/v1/zeist/postcode-areas', {
        method: 'PUT',
        body: 'x',
        headers: { ...admin, 'Content-Type': 'text/plain' },
      }),
      415,
      'unsupported-media-type',
    );
  });
});

describe('PATCH /v1/{tenant}/teams/{teamId}', () => {
  const patchTeam = (tenant: string, id: string | undefined, body: unknown) =>
    fixture.request(`/v1/${tenant}/teams/${id}`, {
      method: 'PATCH',
      body: JSON.stringify(body),
      headers: { ...admin, 'Content-Type': 'application/json' },
    });

  it('sets a temporary closure message that the next lookup shows, and clears it again', async () => {
    const [team] = await teamsOf('zeist');
    const patch = (body: unknown) => patchTeam('zeist', team?.id, body);
    const closed = await patch({ closureMessage: 'Vandaag gesloten vanwege code oranje.' });
    expect(closed.status).toBe(200);
    const lookupTeam = async () =>
      (await lookup('/v1/zeist/postcodes/3701AB')).body.team as { id: string; closureMessage: string | null };
    // The first team by name is Zeist's Sociaal team, which serves 3701.
    expect(await lookupTeam()).toMatchObject({
      id: team?.id,
      closureMessage: 'Vandaag gesloten vanwege code oranje.',
    });
    expect((await (await fixture.request(`/v1/zeist/teams/${team?.id}`)).json()) as object).toMatchObject({
      closureMessage: 'Vandaag gesloten vanwege code oranje.',
    });
    await patch({ closureMessage: null });
    expect((await (await fixture.request(`/v1/zeist/teams/${team?.id}`)).json()) as object).toMatchObject({
      closureMessage: null,
    });
    await expectProblem(await patch({ phone: '' }), 400, 'validation-failed');
    await expectProblem(await patch({ bsn: '1' }), 400, 'validation-failed');
    await expectProblem(
      await fixture.request(`/v1/zeist/teams/${team?.id}`, {
        method: 'PATCH',
        body: '{}',
        headers: { 'Content-Type': 'application/json' },
      }),
      401,
      'unauthorized',
    );
  });

  it('takes opening hours that run to midnight, and refuses slots a widget could not read', async () => {
    const [team] = await teamsOf('alkmaar');
    const patch = (body: unknown) => patchTeam('alkmaar', team?.id, body);
    const evening = {
      fri: [
        { opens: '09:00', closes: '12:00' },
        { opens: '19:00', closes: '24:00' },
      ],
    };
    const ok = await patch({ openingHours: evening, phone: '+31 (0)72 548 88 00' });
    expect(ok.status).toBe(200);
    expect((await ok.json()) as object).toMatchObject({
      openingHours: evening,
      phone: '+31 (0)72 548 88 00',
    });

    const refused = async (body: unknown, name: string) => {
      const problem = await expectProblem(await patch(body), 400, 'validation-failed');
      const invalid = problem.invalidParams as { name: string }[];
      expect(invalid.map((p) => p.name)).toContain(name);
    };
    await refused(
      { openingHours: { sat: [{ opens: '22:00', closes: '02:00' }] } },
      'body.openingHours.sat.0.closes',
    );
    await refused(
      { openingHours: { sat: [{ opens: '17:00', closes: '17:00' }] } },
      'body.openingHours.sat.0.closes',
    );
    await refused(
      { openingHours: { sat: [{ opens: '24:00', closes: '24:00' }] } },
      'body.openingHours.sat.0.opens',
    );
    await refused(
      {
        openingHours: {
          mon: [
            { opens: '09:00', closes: '13:00' },
            { opens: '12:00', closes: '17:00' },
          ],
        },
      },
      'body.openingHours.mon',
    );
    for (const phone of ['050-3679100 (keuze 2)', '050 367 91 00 (2)', '...', '050\n3679100'])
      await refused({ phone }, 'body.phone');
    // Nothing of a refused patch is stored.
    const now = (await (await fixture.request(`/v1/alkmaar/teams/${team?.id}`)).json()) as object;
    expect(now).toMatchObject({ openingHours: evening, phone: '+31 (0)72 548 88 00' });
  });
});
