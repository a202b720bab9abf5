import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { serve } from '@hono/node-server';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { controlDb, tenants } from '@wijkteams/db';
import { createNodeClient } from '@wijkteams/db/node';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppEnv } from '../../src/context.ts';
import { registerRoute } from '../../src/routes/register.ts';
import { ADMIN_KEY, nodeAppFixture } from './fixture.ts';
import { bearer, expectProblem } from './helpers.ts';

let fixture: Awaited<ReturnType<typeof nodeAppFixture>>;
beforeAll(async () => {
  fixture = await nodeAppFixture();
});
afterAll(() => fixture.cleanup());

const admin = { headers: { Authorization: `Bearer ${ADMIN_KEY}` } };

describe('GET /health', () => {
  it('answers 200 with the API version and the security headers', async () => {
    const res = await fixture.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('API-Version')).toBe('1.0.0');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Strict-Transport-Security')).toMatch(/max-age=/);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('X-Request-ID')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('GET /v1/{tenant}/teams', () => {
  it.each([
    ['groningen', 'WIJ Centrum', 'wij-team'],
    ['zeist', 'Sociaal team Zeist', 'sociaal-team'],
    ['alkmaar', 'Voor Mekaar Alkmaar', 'informatiepunt'],
    ['noordoostpolder', 'Doen! Emmeloord', 'doen-team'],
    ['waalre', 'WoonZorgService in de Wijk Aalst', 'woonzorgservice'],
  ])('lists the seeded teams of %s from its own database', async (slug, name, kind) => {
    const res = await fixture.request(`/v1/${slug}/teams`);
    expect(res.status).toBe(200);
    const { teams } = (await res.json()) as {
      teams: { id: string; name: string; kind: string; address: object }[];
    };
    expect(teams.length).toBeGreaterThanOrEqual(2);
    expect(teams).toContainEqual(expect.objectContaining({ name, kind, isExample: true }));
  });

  it('shows one team by id, and 404 for an id of another tenant', async () => {
    const { teams } = (await (await fixture.request('/v1/zeist/teams')).json()) as {
      teams: { id: string }[];
    };
    const id = teams[0]?.id ?? '';
    const res = await fixture.request(`/v1/zeist/teams/${id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id });
    await expectProblem(await fixture.request(`/v1/groningen/teams/${id}`), 404, 'not-found');
  });

  it('answers an unknown tenant with a 404 problem', async () => {
    await expectProblem(await fixture.request('/v1/amsterdam/teams'), 404, 'tenant-not-found');
  });

  it.each(['Zeist', 'zeist%20x', '%F0%9F%98%80', 'a'.repeat(200), "ze'ist"])(
    'answers the odd slug %s with a 400 problem naming the field',
    async (slug) => {
      const body = await expectProblem(await fixture.request(`/v1/${slug}/teams`), 400, 'validation-failed');
      expect(body.invalidParams).toEqual([expect.objectContaining({ name: 'path.tenant' })]);
    },
  );

  it('lists every invalid path parameter', async () => {
    const body = await expectProblem(await fixture.request('/v1/zeist/teams/nope'), 400, 'validation-failed');
    expect(body.invalidParams).toEqual([{ name: 'path.teamId', reason: 'Not a team id' }]);
  });

  it('answers a trailing slash with 404, not a redirect', async () => {
    await expectProblem(await fixture.request('/v1/zeist/teams/'), 404, 'not-found');
    await expectProblem(await fixture.request('/health/'), 404, 'not-found');
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const res = await fixture.request('/v1/zeist/teams', { method: 'DELETE' });
    await expectProblem(res, 405, 'method-not-allowed');
    expect(res.headers.get('Allow')).toContain('GET');
  });

  it('answers a wrong method with 405 before the key, the content type or the body is looked at', async () => {
    const attempts: RequestInit[] = [
      { method: 'PUT' },
      { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: 'x' },
      { method: 'DELETE', headers: bearer('wt_partner_zeist_not-a-real-key-at-all') },
      { method: 'PATCH', headers: { Authorization: 'Basic eDp5' } },
    ];
    for (const init of attempts) {
      const res = await fixture.request('/v1/zeist/teams', init);
      await expectProblem(res, 405, 'method-not-allowed');
      expect(res.headers.get('Allow')).toBe('GET, HEAD, POST');
    }
  });

  it('answers a malformed path with a 404 problem', async () => {
    await expectProblem(await fixture.request('/v1//teams'), 404, 'not-found');
    await expectProblem(await fixture.request('/nope/%%%'), 404, 'not-found');
  });
});

describe('request validation (all parts checked in the handler layer)', () => {
  it('refuses, when a route is registered, request parts that it would not check', () => {
    const route = createRoute({
      method: 'post',
      path: '/form',
      request: {
        body: { content: { 'application/x-www-form-urlencoded': { schema: z.object({ a: z.string() }) } } },
      },
      responses: { 200: { description: 'ok' } },
    });
    expect(() => registerRoute(new OpenAPIHono<AppEnv>(), route, (c) => c.text('x'))).toThrow(
      'post /form: registerRoute does not check application/x-www-form-urlencoded',
    );
  });

  const json = (body: string) => ({
    method: 'POST',
    headers: { ...admin.headers, 'Content-Type': 'application/json' },
    body,
  });

  it('answers malformed JSON with a 400 problem naming the body', async () => {
    const problem = await expectProblem(
      await fixture.request('/v1/zeist/api-keys', json('{"name": ')),
      400,
      'validation-failed',
    );
    expect(problem.invalidParams).toEqual([{ name: 'body', reason: 'Malformed JSON in request body' }]);
  });

  it('names every invalid field of a JSON body, unknown fields included', async () => {
    const problem = await expectProblem(
      await fixture.request('/v1/zeist/api-keys', json('{"name": 5, "colour": "red"}')),
      400,
      'validation-failed',
    );
    const names = (problem.invalidParams as { name: string }[]).map((p) => p.name);
    expect(names).toContain('body.name');
    expect(names).toContain('body.colour');
  });

  it('refuses a query parameter given twice, and a house number that is not one', async () => {
    for (const query of ['houseNumber=12&houseNumber=14', 'houseNumber=twelve', 'houseNumber=0']) {
      const problem = await expectProblem(
        await fixture.request(`/v1/groningen/postcodes/9712CP?${query}`),
        400,
        'validation-failed',
      );
      expect(problem.invalidParams).toContainEqual(expect.objectContaining({ name: 'query.houseNumber' }));
    }
  });

  it('refuses a query parameter the route does not declare, on routes with and without a query', async () => {
    for (const path of ['/v1/groningen/teams?foo=1', '/v1/groningen/postcodes/9712CP?houseNumber=12&foo=1']) {
      const problem = await expectProblem(await fixture.request(path), 400, 'validation-failed');
      expect(problem.invalidParams).toEqual([{ name: 'query.foo', reason: expect.any(String) }]);
      expect(problem.detail).not.toMatch(/stored/);
    }
  });

  it('names a bad query parameter as query.<name>, and does not speak of storing on a GET', async () => {
    const report = await expectProblem(
      await fixture.request('/v1/groningen/request-reports?from=2026-03-01&to=2026-01-01', admin),
      400,
      'validation-failed',
    );
    expect(report.invalidParams).toEqual([{ name: 'query.from', reason: expect.any(String) }]);
    expect(report.detail).not.toMatch(/stored/);
    const account = `acc_${'0'.repeat(26)}`;
    const statement = await expectProblem(
      await fixture.request(`/v1/groningen/accounts/${account}/transfers?cursor=abc`, admin),
      400,
      'validation-failed',
    );
    expect(statement.invalidParams).toEqual([{ name: 'query.cursor', reason: expect.any(String) }]);
  });

  it('checks headers whatever case they are sent in', async () => {
    const redeem = (headers: Record<string, string>) =>
      fixture.request('/v1/waalre/vouchers/NOPE-NOPE-NOPE/redemptions', {
        method: 'POST',
        headers: { ...admin.headers, 'Content-Type': 'application/json', ...headers },
        body: '{}',
      });
    const reasons = async (res: Response) =>
      (
        (await expectProblem(res, 400, 'validation-failed')).invalidParams as {
          name: string;
          reason: string;
        }[]
      )
        .filter((p) => p.name === 'header.idempotency-key')
        .map((p) => p.reason);
    expect(await reasons(await redeem({}))).toEqual([expect.stringMatching(/^Required/)]);
    expect(await reasons(await redeem({ 'IDEMPOTENCY-KEY': 'x' }))).toEqual([
      expect.stringMatching(/visible ASCII/),
    ]);
  });
});

describe('text fields and team details', () => {
  const patchTeam = async (body: unknown) => {
    const teams = (await (await fixture.request('/v1/zeist/teams')).json()) as { teams: { id: string }[] };
    return fixture.request(`/v1/zeist/teams/${teams.teams[0]?.id}`, {
      method: 'PATCH',
      headers: { ...admin.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  };

  it('refuses NUL and other control characters with a 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ closureMessage: 'Dicht\u0000 wegens storing' }, 'body.closureMessage'],
      [{ name: 'WIJ\u0007Centrum' }, 'body.name'],
      [{ name: 'WIJ\nCentrum' }, 'body.name'],
      [{ address: { city: 'Zeist\u0085' } }, 'body.address.city'],
    ];
    for (const [body, name] of cases) {
      const problem = await expectProblem(await patchTeam(body), 400, 'validation-failed');
      expect(problem.invalidParams).toEqual([{ name, reason: expect.stringMatching(/control characters/) }]);
    }
  });

  it('refuses a weekday the document does not name in opening hours', async () => {
    const problem = await expectProblem(
      await patchTeam({ openingHours: { monday: [{ opens: '09:00', closes: '17:00' }] } }),
      400,
      'validation-failed',
    );
    expect((problem.invalidParams as { name: string }[])[0]?.name).toMatch(/^body\.openingHours/);
  });

  it('keeps tab and line breaks where text has lines, and nothing is cut short', async () => {
    const message = 'Dicht wegens storing.\r\n\tBel 14 030.';
    const res = await patchTeam({ closureMessage: message, description: 'Regel een\nRegel twee' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      closureMessage: message.trim(),
      description: 'Regel een\nRegel twee',
    });
  });

  it('refuses control characters in a help request, in the description and the contact name', async () => {
    const res = await fixture.request('/v1/zeist/requests', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        postcode: '3701 AB',
        category: 'odd-jobs',
        description: 'Lamp\u0000ophangen',
        contact: { name: 'J.\nde Vries', phone: '0612345678' },
        consent: true,
      }),
    });
    const problem = await expectProblem(res, 400, 'validation-failed');
    expect((problem.invalidParams as { name: string }[]).map((p) => p.name).sort()).toEqual([
      'body.contact.name',
      'body.description',
    ]);
  });
});

describe('body size over real HTTP', () => {
  it('refuses a body over 64 KiB with 413, whether its length is declared or it comes in chunks', async () => {
    const server = serve({ fetch: fixture.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const post = (
      headers: Record<string, string>,
      body: string | Readable,
      { method = 'POST', path = '/v1/zeist/api-keys' } = {},
    ) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({ port, host: '127.0.0.1', method, path, headers }, (res) => {
          let text = '';
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on('error', reject);
        if (typeof body === 'string') req.end(body);
        else body.pipe(req);
      });
    const big = JSON.stringify({ name: 'x'.repeat(70 * 1024), scopes: ['teams:read'] });
    const json = { ...admin.headers, 'Content-Type': 'application/json' };
    try {
      const declared = await post({ ...json, 'Content-Length': String(Buffer.byteLength(big)) }, big);
      expect(declared.status).toBe(413);
      expect(JSON.parse(declared.body)).toMatchObject({ type: 'urn:wijkteams:problem:payload-too-large' });
      const chunked = await post(
        { ...json, 'Transfer-Encoding': 'chunked' },
        Readable.from([big.slice(0, 40_000), big.slice(40_000)]),
      );
      expect(chunked.status).toBe(413);
      // A body within the limit passes the check (and then fails validation, being no key request),
      // chunked too: what was counted reaches the handler whole.
      const small = await post(json, JSON.stringify({ name: 'x' }));
      expect(small.status).toBe(400);
      const valid = JSON.stringify({ name: 'Chunked partner', scopes: ['requests:read'] });
      const smallChunked = await post(
        { ...json, 'Transfer-Encoding': 'chunked' },
        Readable.from([valid.slice(0, 10), valid.slice(10)]),
      );
      expect(smallChunked.status).toBe(201);
      expect(JSON.parse(smallChunked.body)).toMatchObject({ name: 'Chunked partner' });

      // A bulk import may be 8 MiB, but only for a caller with a key; a refused key reads no body.
      const csv = { 'Content-Type': 'text/csv', 'Transfer-Encoding': 'chunked' };
      const rows = `teamId,postcode\n${'team_x,3701\n'.repeat(10_000)}`; // about 120 KiB
      const put = { method: 'PUT', path: '/v1/zeist/postcode-areas' };
      expect((await post(csv, Readable.from([rows]), put)).status).toBe(413);
      expect(
        (
          await post(
            { ...csv, ...bearer('wt_partner_zeist_0000000000000000000000000000000000000000000') },
            Readable.from([rows]),
            put,
          )
        ).status,
      ).toBe(401);
      const admitted = await post({ ...csv, ...admin.headers }, Readable.from([rows]), put);
      expect(admitted.status).toBe(400); // read whole and checked: no such team
      expect(JSON.parse(admitted.body)).toMatchObject({ type: 'urn:wijkteams:problem:validation-failed' });
    } finally {
      server.close();
    }
  });
});

describe('a suspended or unfinished tenant', () => {
  it('is a problem on its routes, once the tenant cache has been refreshed', async () => {
    const control = createNodeClient({ url: 'file:control.db' }, { dataDir: fixture.dataDir });
    const setStatus = (status: 'suspended' | 'provisioning' | 'active') =>
      controlDb(control).update(tenants).set({ status }).where(eq(tenants.slug, 'alkmaar'));
    try {
      await setStatus('suspended');
      fixture.runtime.tenantCache.forget('alkmaar');
      await expectProblem(await fixture.request('/v1/alkmaar/teams'), 403, 'tenant-suspended');
      await setStatus('provisioning');
      fixture.runtime.tenantCache.forget('alkmaar');
      await expectProblem(await fixture.request('/v1/alkmaar/teams'), 503, 'tenant-unavailable');
    } finally {
      await setStatus('active');
      fixture.runtime.tenantCache.forget('alkmaar');
      control.close();
    }
    expect((await fixture.request('/v1/alkmaar/teams')).status).toBe(200);
  });
});

describe('GET /v1/tenants', () => {
  it('needs the admin key: 401 without a key or with one that is not valid', async () => {
    const none = await fixture.request('/v1/tenants');
    await expectProblem(none, 401, 'unauthorized');
    expect(none.headers.get('WWW-Authenticate')).toBe('Bearer');
    await expectProblem(
      await fixture.request('/v1/tenants', { headers: { Authorization: 'Bearer not-the-admin-key-at-all' } }),
      401,
      'unauthorized',
    );
  });

  it('lists the five tenants for the platform admin, without database URLs', async () => {
    const res = await fixture.request('/v1/tenants', admin);
    expect(res.status).toBe(200);
    const { tenants: list } = (await res.json()) as { tenants: Record<string, unknown>[] };
    expect(list.map((t) => t.slug)).toEqual(['alkmaar', 'groningen', 'noordoostpolder', 'waalre', 'zeist']);
    expect(list.every((t) => t.status === 'active' && !('databaseUrl' in t))).toBe(true);
  });

  it('shows one tenant with its CBS code', async () => {
    const res = await fixture.request('/v1/tenants/groningen', admin);
    expect(await res.json()).toMatchObject({
      slug: 'groningen',
      municipalityCode: 'GM0014',
      status: 'active',
    });
    await expectProblem(await fixture.request('/v1/tenants/amsterdam', admin), 404, 'tenant-not-found');
  });
});

describe('logging', () => {
  it('writes one structured line per request, with the route template and no path data', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await fixture.request('/v1/zeist/teams/team_00000000000000000000000000');
      const lines = log.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        msg: 'request',
        method: 'GET',
        route: '/v1/:tenant/teams/:teamId',
        tenant: 'zeist',
        status: 404,
      });
      expect(JSON.stringify(lines[0])).not.toContain('team_0000');
    } finally {
      log.mockRestore();
    }
  });
});

describe('an unreachable database', () => {
  let server: Server;
  beforeAll(async () => {
    // Accepts connections and never answers: the worst kind of outage.
    server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => server.closeAllConnections?.() ?? server.close());

  it('gives a 503 problem within a bounded time, not a hang', async () => {
    const { port } = server.address() as AddressInfo;
    const control = createNodeClient({ url: 'file:control.db' }, { dataDir: fixture.dataDir });
    const [waalre] = await controlDb(control)
      .update(tenants)
      .set({ databaseUrl: `http://127.0.0.1:${port}/` })
      .where(eq(tenants.slug, 'waalre'))
      .returning();
    fixture.runtime.tenantCache.forget('waalre');
    // The teams come from the in-isolate coverage index; drop it so that the database is asked.
    fixture.runtime.coverage.forget(waalre?.id ?? '');
    const errors = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const started = Date.now();
    const res = await fixture.request('/v1/waalre/teams');
    await expectProblem(res, 503, 'database-unavailable');
    // The failure is logged by error names and codes only: no SQL text, so no parameters either.
    const logged = errors.mock.calls.map(([line]) => String(line)).join('\n');
    errors.mockRestore();
    expect(JSON.parse(logged)).toMatchObject({ level: 'warn', msg: 'database-unavailable' });
    expect(logged).not.toMatch(/select|teams/i);
    expect(res.headers.get('Retry-After')).toBe('5');
    expect(Date.now() - started).toBeLessThan(10_000);
    control.close();
  });
});
