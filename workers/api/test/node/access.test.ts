import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCOPES } from '@wijkteams/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { nodeRuntime } from '../../src/node-runtime.ts';
import { ADMIN_KEY, nodeAppFixture } from './fixture.ts';
import { bearer, expectProblem, json } from './helpers.ts';

let fixture: Awaited<ReturnType<typeof nodeAppFixture>>;
beforeAll(async () => {
  fixture = await nodeAppFixture({ KEY_CACHE_TTL_MS: '300' });
});
afterAll(() => fixture.cleanup());

const admin = bearer(ADMIN_KEY);
// Every scope a key that does not act as a provider can hold.
const ALL_SCOPES = SCOPES.filter((s) => s !== 'offers:respond');

async function createKey(tenant: string, scopes: string[], auth = admin, extra: object = {}) {
  const res = await fixture.request(
    `/v1/${tenant}/api-keys`,
    json('POST', { name: 'Test partner', scopes, ...extra }, auth),
  );
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; key: string; prefix: string; scopes: string[] };
}

describe('onboarding a municipality', () => {
  const utrecht = { slug: 'utrecht', name: 'Gemeente Utrecht', municipalityCode: 'GM0344' };

  it('creates it with its own database, and the same request again answers 200 with the same tenant', async () => {
    const res = await fixture.request('/v1/tenants', json('POST', utrecht, admin));
    expect(res.status).toBe(201);
    expect(res.headers.get('Location')).toBe('/v1/tenants/utrecht');
    const created = (await res.json()) as { id: string; status: string };
    expect(created).toMatchObject({
      slug: 'utrecht',
      municipalityCode: 'GM0344',
      status: 'active',
      lastError: null,
    });

    const again = await fixture.request('/v1/tenants', json('POST', utrecht, admin));
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(created.id);

    const teams = await fixture.request('/v1/utrecht/teams');
    expect(teams.status).toBe(200);
    expect(await teams.json()).toEqual({ teams: [] });
  });

  it('goes live through the API: a team that takes requests, then coverage', async () => {
    // Before it has a team: its own postcodes are not served, and the answer says why.
    const early = await expectProblem(
      await fixture.request('/v1/utrecht/postcodes/3511AB'),
      404,
      'postcode-not-served',
    );
    expect(early.detail).toBe('Gemeente Utrecht has no team for 3511 AB yet');

    const team = (body: object, auth: Record<string, string> = admin) =>
      fixture.request('/v1/utrecht/teams', json('POST', body, auth));
    const invalid = await expectProblem(
      await team({ name: '', kind: 'ploeg', phone: 'bel ons', bsn: '1' }),
      400,
      'validation-failed',
    );
    expect((invalid.invalidParams as { name: string }[]).map((p) => p.name).sort()).toEqual([
      'body.bsn',
      'body.kind',
      'body.name',
      'body.phone',
    ]);
    expect(await (await fixture.request('/v1/utrecht/teams')).json()).toEqual({ teams: [] });

    const first = await team({ name: 'Buurtteam Binnenstad', kind: 'sociaal-team', isDefaultIntake: true });
    expect(first.status).toBe(201);
    const binnenstad = (await first.json()) as { id: string; isDefaultIntake: boolean };
    expect(first.headers.get('Location')).toBe(`/v1/utrecht/teams/${binnenstad.id}`);
    expect(binnenstad.isDefaultIntake).toBe(true);
    const lookup = await fixture.request('/v1/utrecht/postcodes/3511AB');
    expect(lookup.status).toBe(200);
    expect(await lookup.json()).toMatchObject({ team: { id: binnenstad.id }, match: { level: 'default' } });

    // Marking another team moves the mark; marking an unknown team takes it from no one.
    const second = (await (
      await team({ name: 'Buurtteam Oost', kind: 'sociaal-team', isDefaultIntake: true })
    ).json()) as { id: string };
    const unknown = await fixture.request(
      '/v1/utrecht/teams/team_00000000000000000000000000',
      json('PATCH', { isDefaultIntake: true }, admin),
    );
    await expectProblem(unknown, 404, 'not-found');
    const { teams } = (await (await fixture.request('/v1/utrecht/teams')).json()) as {
      teams: { id: string; isDefaultIntake: boolean }[];
    };
    expect(teams.filter((t) => t.isDefaultIntake).map((t) => t.id)).toEqual([second.id]);

    const request = await fixture.request(
      '/v1/utrecht/requests',
      json('POST', {
        postcode: '3511AB',
        category: 'odd-jobs',
        description: 'Een kast ophangen.',
        contact: { name: 'Test', email: 'test@example.org' },
        consent: true,
      }),
    );
    expect(request.status).toBe(201);
    expect(await request.json()).toMatchObject({ team: { id: second.id }, routedToDefault: true });

    // Only a tenant admin adds teams.
    await expectProblem(await team({ name: 'X', kind: 'sociaal-team' }, {}), 401, 'unauthorized');
  });

  it('answers the same slug with another body, or an onboarded municipality, with 409', async () => {
    await expectProblem(
      await fixture.request('/v1/tenants', json('POST', { ...utrecht, name: 'Utrecht!' }, admin)),
      409,
      'conflict',
    );
    await expectProblem(
      await fixture.request('/v1/tenants', json('POST', { ...utrecht, slug: 'utrecht-stad' }, admin)),
      409,
      'conflict',
    );
  });

  it('lists every invalid field, refuses unknown ones, and stores nothing', async () => {
    const res = await fixture.request(
      '/v1/tenants',
      json('POST', { slug: 'Den Haag', name: 'x', municipalityCode: '0518', bsn: '123456782' }, admin),
    );
    const body = await expectProblem(res, 400, 'validation-failed');
    const names = (body.invalidParams as { name: string }[]).map((p) => p.name).sort();
    expect(names).toEqual(['body.bsn', 'body.municipalityCode', 'body.name', 'body.slug']);
    await expectProblem(
      await fixture.request(
        '/v1/tenants',
        json('POST', { ...utrecht, slug: 'x-gm9999', municipalityCode: 'GM9999' }, admin),
      ),
      400,
      'validation-failed',
    );
    const list = (await (await fixture.request('/v1/tenants', { headers: admin })).json()) as {
      tenants: unknown[];
    };
    expect(list.tenants).toHaveLength(6);
  });

  it('is for the platform admin only', async () => {
    await expectProblem(await fixture.request('/v1/tenants', json('POST', utrecht)), 401, 'unauthorized');
    const partner = await createKey('zeist', ALL_SCOPES);
    await expectProblem(
      await fixture.request('/v1/tenants', json('POST', utrecht, bearer(partner.key))),
      403,
      'forbidden',
    );
  });

  it('suspends a tenant: its routes answer a problem until it is active again', async () => {
    const suspend = await fixture.request(
      '/v1/tenants/utrecht',
      json('PATCH', { status: 'suspended' }, admin),
    );
    expect(await suspend.json()).toMatchObject({ status: 'suspended' });
    await expectProblem(await fixture.request('/v1/utrecht/teams'), 403, 'tenant-suspended');
    await fixture.request('/v1/tenants/utrecht', json('PATCH', { status: 'active' }, admin));
    expect((await fixture.request('/v1/utrecht/teams')).status).toBe(200);
  });
});

describe('API keys', () => {
  it('are shown once, with a prefix naming tenant and kind and at least 128 bits of randomness', async () => {
    const created = await createKey('zeist', ['requests:read']);
    expect(created.key).toMatch(/^wt_partner_zeist_[0-9A-Za-z]{43}$/);
    // 43 base62 characters carry 43 × log2(62) ≈ 256 bits; ten keys never share their secret.
    const secrets = new Set<string>([created.key.slice(-43)]);
    for (let i = 0; i < 9; i++) secrets.add((await createKey('zeist', ['requests:read'])).key.slice(-43));
    expect(secrets.size).toBe(10);
    expect(created.prefix).toBe(created.key.slice(0, 'wt_partner_zeist_'.length + 4));

    const list = (await (await fixture.request('/v1/zeist/api-keys', { headers: admin })).json()) as {
      apiKeys: Record<string, unknown>[];
    };
    const listed = list.apiKeys.find((k) => k.id === created.id);
    expect(listed).toMatchObject({ prefix: created.prefix, scopes: ['requests:read'], revokedAt: null });
    expect(JSON.stringify(list)).not.toContain(created.key);
    expect(listed).not.toHaveProperty('hash');
  });

  it('are stored only as a SHA-256 hash: the key is nowhere in the database file', async () => {
    const created = await createKey('zeist', ['reports:read']);
    const file = readFileSync(join(fixture.dataDir, 'control.db')).toString('latin1');
    const wal = (() => {
      try {
        return readFileSync(join(fixture.dataDir, 'control.db-wal')).toString('latin1');
      } catch {
        return '';
      }
    })();
    const secret = created.key.slice(-43);
    expect(file + wal).not.toContain(secret);
    const { createHash } = await import('node:crypto');
    expect(file + wal).toContain(createHash('sha256').update(created.key).digest('hex'));
  });

  it('grant their scopes on their own tenant only', async () => {
    const admin403 = await createKey('groningen', ['tenant:admin']);
    const reader = await createKey('groningen', ['reports:read']);
    expect((await fixture.request('/v1/groningen/api-keys', { headers: bearer(admin403.key) })).status).toBe(
      200,
    );
    await expectProblem(
      await fixture.request('/v1/groningen/api-keys', { headers: bearer(reader.key) }),
      403,
      'forbidden',
    );
    await expectProblem(
      await fixture.request('/v1/zeist/api-keys', { headers: bearer(admin403.key) }),
      403,
      'forbidden',
    );
    await expectProblem(
      await fixture.request('/v1/zeist/teams', { headers: bearer(reader.key) }),
      403,
      'forbidden',
    );
  });

  it('let a tenant admin manage keys but never grant a scope it lacks itself', async () => {
    const tenantAdmin = await createKey('alkmaar', ['tenant:admin', 'requests:read']);
    const granted = await createKey('alkmaar', ['requests:read'], bearer(tenantAdmin.key));
    expect(granted.scopes).toEqual(['requests:read']);
    const res = await fixture.request(
      '/v1/alkmaar/api-keys',
      json(
        'POST',
        { name: 'Too much', scopes: ['requests:read', 'vouchers:issue'] },
        bearer(tenantAdmin.key),
      ),
    );
    const body = await expectProblem(res, 403, 'forbidden');
    expect(body.detail).toContain('vouchers:issue');
    const audit = (await (await fixture.request('/v1/alkmaar/audit-events', { headers: admin })).json()) as {
      auditEvents: { action: string; result: string; actor: string }[];
    };
    expect(audit.auditEvents[0]).toMatchObject({
      action: 'key.create',
      result: 'denied',
      actor: `key:${tenantAdmin.id}`,
    });
  });

  it('stop working at once when revoked where the revocation was made, and within the cache TTL elsewhere', async () => {
    const key = await createKey('waalre', ['tenant:admin']);
    const other = createApp({
      runtime: () => otherIsolate,
    });
    const otherIsolate = nodeRuntime(
      { dataDir: fixture.dataDir, control: { url: 'file:control.db' }, tenantAuthToken: undefined },
      { KEY_CACHE_TTL_MS: '300' },
    );
    // Both "isolates" have verified (and cached) the key.
    expect((await fixture.request('/v1/waalre/api-keys', { headers: bearer(key.key) })).status).toBe(200);
    expect((await other.request('/v1/waalre/api-keys', { headers: bearer(key.key) })).status).toBe(200);

    const revoked = await fixture.request(`/v1/waalre/api-keys/${key.id}`, {
      method: 'DELETE',
      headers: admin,
    });
    expect(revoked.status).toBe(204);
    await expectProblem(
      await fixture.request('/v1/waalre/api-keys', { headers: bearer(key.key) }),
      401,
      'unauthorized',
    );

    // The other isolate still trusts its cached copy, until the TTL runs out.
    expect((await other.request('/v1/waalre/api-keys', { headers: bearer(key.key) })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 350));
    expect((await other.request('/v1/waalre/api-keys', { headers: bearer(key.key) })).status).toBe(401);

    const again = await fixture.request(`/v1/waalre/api-keys/${key.id}`, {
      method: 'DELETE',
      headers: admin,
    });
    expect(again.status).toBe(204);
    await expectProblem(
      await fixture.request('/v1/waalre/api-keys/key_00000000000000000000000000', {
        method: 'DELETE',
        headers: admin,
      }),
      404,
      'not-found',
    );
  });

  it('expire at their expiry time, and record when they were last used', async () => {
    const soon = new Date(Date.now() + 1_500).toISOString();
    const key = await createKey('noordoostpolder', ['tenant:admin'], admin, { expiresAt: soon });
    expect((await fixture.request('/v1/noordoostpolder/api-keys', { headers: bearer(key.key) })).status).toBe(
      200,
    );
    const list = (await (
      await fixture.request('/v1/noordoostpolder/api-keys', { headers: admin })
    ).json()) as {
      apiKeys: { id: string; lastUsedAt: string | null }[];
    };
    expect(list.apiKeys.find((k) => k.id === key.id)?.lastUsedAt).toMatch(/^\d{4}-/);
    await new Promise((r) => setTimeout(r, 1_600));
    const res = await fixture.request('/v1/noordoostpolder/api-keys', { headers: bearer(key.key) });
    expect(((await expectProblem(res, 401, 'unauthorized')) as { detail: string }).detail).toMatch(/expired/);
    await expectProblem(
      await fixture.request(
        '/v1/noordoostpolder/api-keys',
        json('POST', { name: 'Past', scopes: ['reports:read'], expiresAt: '2020-01-01T00:00:00Z' }, admin),
      ),
      400,
      'validation-failed',
    );
  });

  it('are never accepted from the URL, only from the Authorization header', async () => {
    const key = await createKey('zeist', ['tenant:admin']);
    await expectProblem(await fixture.request(`/v1/zeist/api-keys?apiKey=${key.key}`), 401, 'unauthorized');
    await expectProblem(
      await fixture.request('/v1/zeist/api-keys', { headers: { Authorization: `Basic ${btoa(key.key)}` } }),
      401,
      'unauthorized',
    );
  });
});

describe('the audit log', () => {
  it('records key creation and revocation with actor, result and origin, and never the key', async () => {
    const key = await createKey('zeist', ['reports:read']);
    await fixture.request(`/v1/zeist/api-keys/${key.id}`, { method: 'DELETE', headers: admin });
    const res = await fixture.request('/v1/zeist/audit-events?limit=500', { headers: admin });
    const { auditEvents } = (await res.json()) as { auditEvents: Record<string, string>[] };
    const mine = auditEvents.filter((e) => e.objectId === key.id).map((e) => [e.action, e.actor, e.result]);
    expect(mine).toEqual([
      ['key.revoked', 'platform-admin', 'success'],
      ['key.created', 'platform-admin', 'success'],
    ]);
    expect(auditEvents.every((e) => typeof e.origin === 'string' && e.at?.endsWith('Z'))).toBe(true);
    expect(JSON.stringify(auditEvents)).not.toContain(key.key);
  });
});

describe('rate limits', () => {
  it('answer 429 with Retry-After per key, and per client on public routes, with limits set per tenant', async () => {
    const update = await fixture.request(
      '/v1/tenants/groningen',
      json('PATCH', { settings: { keyRateLimitPerMinute: 3, publicRateLimitPerMinute: 4 } }, admin),
    );
    expect(await update.json()).toMatchObject({
      settings: { keyRateLimitPerMinute: 3, publicRateLimitPerMinute: 4 },
    });
    const key = await createKey('groningen', ['tenant:admin']);
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await fixture.request('/v1/groningen/api-keys', { headers: bearer(key.key) })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await fixture.request('/v1/groningen/api-keys', { headers: bearer(key.key) });
    await expectProblem(limited, 429, 'rate-limited');
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);

    const publicStatuses = [];
    for (let i = 0; i < 5; i++) publicStatuses.push((await fixture.request('/v1/groningen/teams')).status);
    expect(publicStatuses).toEqual([200, 200, 200, 200, 429]);
    // Other tenants have their own, default limits.
    expect((await fixture.request('/v1/zeist/teams')).status).toBe(200);
    await fixture.request('/v1/tenants/groningen', json('PATCH', { settings: {} }, admin));
  });
});

describe('strict input', () => {
  it('answers an unknown field with 400, a body over 64 KiB with 413 and another content type with 415', async () => {
    const body = await expectProblem(
      await fixture.request(
        '/v1/zeist/api-keys',
        json('POST', { name: 'x y', scopes: ['reports:read'], bsn: '1' }, admin),
      ),
      400,
      'validation-failed',
    );
    expect(body.invalidParams).toEqual([{ name: 'body.bsn', reason: 'Unknown field; it is not accepted' }]);
    await expectProblem(
      await fixture.request(
        '/v1/zeist/api-keys',
        json('POST', { name: 'x'.repeat(70_000), scopes: [] }, admin),
      ),
      413,
      'payload-too-large',
    );
    await expectProblem(
      await fixture.request('/v1/zeist/api-keys', {
        method: 'POST',
        body: 'name=x',
        headers: { ...admin, 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
      415,
      'unsupported-media-type',
    );
    await expectProblem(
      await fixture.request('/v1/zeist/api-keys', {
        method: 'POST',
        body: '{"name": ',
        headers: { ...admin, 'Content-Type': 'application/json' },
      }),
      400,
      'validation-failed',
    );
  });
});

describe('CORS', () => {
  const origin = 'https://www.zeist.nl';

  it('allows any origin on public reads and the OpenAPI document', async () => {
    for (const path of ['/v1/openapi.json', '/v1/zeist/teams']) {
      const res = await fixture.request(path, { headers: { Origin: origin } });
      expect(res.headers.get('Access-Control-Allow-Origin'), path).toBe('*');
    }
  });

  it('allows other routes only from the tenant’s allow-list', async () => {
    const preflight = () =>
      fixture.request('/v1/zeist/api-keys', {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
      });
    expect((await preflight()).headers.get('Access-Control-Allow-Origin')).toBeNull();

    await fixture.request('/v1/tenants/zeist', json('PATCH', { settings: { corsOrigins: [origin] } }, admin));
    const allowed = await preflight();
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe(origin);
    expect(allowed.headers.get('Access-Control-Allow-Headers')).toContain('Authorization');
    const other = await fixture.request('/v1/zeist/api-keys', {
      headers: { Origin: 'https://evil.example', ...admin },
    });
    expect(other.headers.get('Access-Control-Allow-Origin')).toBeNull();

    // Refusals carry the CORS headers too, so that a browser can read the problem.
    const refusals = [
      await fixture.request('/v1/zeist/api-keys', {
        method: 'POST',
        headers: { Origin: origin, ...admin, 'Content-Type': 'text/plain' },
        body: 'x',
      }),
      await fixture.request('/v1/zeist/api-keys', { headers: { Origin: origin } }),
    ];
    expect(refusals.map((r) => r.status)).toEqual([415, 401]);
    for (const res of refusals) {
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe(origin);
      expect(res.headers.get('Vary')).toBe('Origin');
    }
    await fixture.request('/v1/tenants/zeist', json('PATCH', { settings: {} }, admin));
  });
});
