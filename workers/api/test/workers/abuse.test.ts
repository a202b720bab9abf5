/// <reference types="@cloudflare/vitest-pool-workers/types" />
/**
 * The Worker under load and abuse, in workerd: big imports, CORS, chunked bodies over the limit,
 * and how long caches keep what they know (on a fake clock).
 */

import { env, SELF } from 'cloudflare:test';
import { createClient } from '@libsql/client/web';
import { pc4AreasOf } from '@wijkteams/lookup';
import { afterEach, describe, expect, it, vi } from 'vitest';

const ADMIN = { Authorization: 'Bearer workers-test-admin-key-0123456789' };
const url = (path: string) => `https://api.example${path}`;
const control = () => createClient({ url: 'http://hrana.test/control/' });
const tenantDatabase = (slug: string) => createClient({ url: `http://hrana.test/tenants/${slug}/` });

afterEach(() => {
  vi.useRealTimers();
});

/** A fake clock that starts later than anything cached so far and moves only when told. */
function fakeClock(): (seconds: number) => void {
  const start = Date.now() + 24 * 60 * 60 * 1000;
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(start);
  return (seconds) => vi.setSystemTime(start + seconds * 1000);
}

async function teamsOf(slug: string): Promise<{ id: string; isDefaultIntake: boolean }[]> {
  const res = await SELF.fetch(url(`/v1/${slug}/teams`));
  return ((await res.json()) as { teams: { id: string; isDefaultIntake: boolean }[] }).teams;
}

/**
 * 5,000 rules: as one batch about 2.6 MB (0.5 KB a rule), more than the 1 MiB per request that the
 * Hrana endpoint of these tests takes (vitest.workers.config.ts), so only the staged import gets them
 * in. The full 50,000 against the 8 MiB of `npm start` run in the benchmark (`npm run bench:import`,
 * the same Worker in Miniflare) and over Hrana on Node (packages/lookup/test/import.test.ts).
 */
const RULES = 5_000;

describe('a big coverage import through the Worker', () => {
  it('succeeds, all at once, and moves the coverage version once', async () => {
    const [team] = await teamsOf('groningen');
    const pc4s = pc4AreasOf('Groningen').map((a) => a.pc4);
    const lines = ['teamId,postcode,houseFrom,houseTo,parity'];
    const letters = [];
    for (let a = 0; a < 26; a++)
      for (let b = 0; b < 26; b++) {
        const pair = String.fromCharCode(65 + a, 65 + b);
        if (!['SA', 'SD', 'SS'].includes(pair)) letters.push(pair);
      }
    outer: for (const range of [
      [1, 49],
      [50, 99],
      [100, 149],
      [150, 199],
    ])
      for (const pc4 of pc4s)
        for (const pair of letters) {
          if (lines.length > RULES) break outer;
          lines.push(`${team?.id},${pc4}${pair},${range[0]},${range[1]},all`);
        }
    expect(lines.length - 1).toBe(RULES);
    const csv = `${lines.join('\n')}\n`;
    const database = tenantDatabase('groningen');
    const versionOf = async () =>
      Number(
        (await database.execute("SELECT value FROM meta WHERE key = 'coverage_version'")).rows[0]?.value,
      );
    const versionBefore = await versionOf();

    const res = await SELF.fetch(url('/v1/groningen/postcode-areas'), {
      method: 'PUT',
      headers: { ...ADMIN, 'Content-Type': 'text/csv' },
      body: csv,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const { rules, version } = (await res.json()) as { rules: number; version: number };
    expect(rules).toBe(RULES);
    expect(version).toBe(versionBefore + 1);
    expect(await versionOf()).toBe(versionBefore + 1);

    const stored = await database.execute(
      "SELECT count(*) AS n FROM coverage_rules WHERE level = 'house-range'",
    );
    expect(Number(stored.rows[0]?.n)).toBe(RULES);
    const staged = await database.execute('SELECT count(*) AS n FROM coverage_rules_staging');
    expect(Number(staged.rows[0]?.n)).toBe(0);
  });

  it('answers a refused import of many bad rows with at most 100 invalidParams and their total', async () => {
    // 50,000 rows, each wrong in eight ways: 400,000 problems, far more than any answer should list.
    const header = 'teamId,postcode,houseFrom,houseTo,parity,validFrom,validTo';
    const row = (i: number) =>
      `team_nope,0${String(i % 1000).padStart(3, '0')}ZZ,x,y,sometimes,2026-13-45,no`;
    const csv = `${header}\n${Array.from({ length: 50_000 }, (_, i) => row(i)).join('\n')}`;
    const res = await SELF.fetch(url('/v1/groningen/postcode-areas'), {
      method: 'PUT',
      headers: { ...ADMIN, 'Content-Type': 'text/csv' },
      body: csv,
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text.length).toBeLessThan(csv.length);
    const problem = JSON.parse(text) as { invalidParams: unknown[]; invalidParamsTotal: number };
    expect(problem.invalidParams).toHaveLength(100);
    expect(problem.invalidParamsTotal).toBeGreaterThanOrEqual(300_000);
  });
});

describe('CORS in workerd', () => {
  it('lets any site read public routes, the tenant’s own origins call the rest, and refusals carry it too', async () => {
    const patched = await SELF.fetch(url('/v1/tenants/zeist'), {
      method: 'PATCH',
      headers: { ...ADMIN, 'Content-Type': 'application/json' },
      body: JSON.stringify({ settings: { corsOrigins: ['https://www.zeist.nl'] } }),
    });
    expect(patched.status).toBe(200);

    const open = await SELF.fetch(url('/v1/zeist/teams'), {
      headers: { Origin: 'https://elsewhere.example' },
    });
    expect(open.headers.get('Access-Control-Allow-Origin')).toBe('*');

    const preflight = (origin: string) =>
      SELF.fetch(url('/v1/zeist/api-keys'), {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type',
        },
      });
    const allowed = await preflight('https://www.zeist.nl');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe('https://www.zeist.nl');
    expect(allowed.headers.get('Access-Control-Allow-Methods')).toContain('POST');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('Access-Control-Allow-Origin')).toBeNull();

    const refused = await SELF.fetch(url('/v1/zeist/api-keys'), {
      headers: { Origin: 'https://www.zeist.nl' },
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('Access-Control-Allow-Origin')).toBe('https://www.zeist.nl');
    expect(refused.headers.get('Vary')).toContain('Origin');
  });
});

/** A body sent in chunks with no Content-Length, as a client streaming it would. */
function chunked(bytes: number, chunk = 16 * 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const size = Math.min(chunk, bytes - sent);
      controller.enqueue(new TextEncoder().encode('x'.repeat(size)));
      sent += size;
    },
  });
}

describe('chunked bodies in workerd', () => {
  it('refuses a chunked body over 64 KiB with a 413, and keeps answering', async () => {
    const res = await SELF.fetch(url('/v1/waalre/requests'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: chunked(200 * 1024),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect((await SELF.fetch(url('/health'))).status).toBe(200);
  });

  it('refuses a chunked import over 8 MiB with a 413, and leaves the coverage as it was', async () => {
    const before = (await SELF.fetch(url('/v1/waalre/postcodes/5581'))).headers.get('ETag');
    const res = await SELF.fetch(url('/v1/waalre/postcode-areas'), {
      method: 'PUT',
      headers: { ...ADMIN, 'Content-Type': 'text/csv' },
      body: chunked(8 * 1024 * 1024 + 1, 256 * 1024),
    });
    expect(res.status).toBe(413);
    expect((await SELF.fetch(url('/v1/waalre/postcodes/5581'))).headers.get('ETag')).toBe(before);
  });
});

describe('what an isolate remembers, on a fake clock', () => {
  it('keeps a key revoked elsewhere for KEY_CACHE_TTL_MS (30 s), then refuses it', async () => {
    const at = fakeClock();
    const created = await SELF.fetch(url('/v1/waalre/api-keys'), {
      method: 'POST',
      headers: { ...ADMIN, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Cache lifetime', scopes: ['requests:read'] }),
    });
    expect(created.status).toBe(201);
    const { key, id } = (await created.json()) as { key: string; id: string };
    const use = () => SELF.fetch(url('/v1/waalre/requests'), { headers: { Authorization: `Bearer ${key}` } });
    expect((await use()).status).toBe(200);
    // Revoked by another isolate (or the CLI): straight in the control database.
    await control().execute({
      sql: 'UPDATE api_keys SET revoked_at = ? WHERE id = ?',
      args: [new Date().toISOString(), id],
    });
    at(29);
    expect((await use()).status).toBe(200);
    at(31);
    expect((await use()).status).toBe(401);
  });

  it('sees a coverage change made elsewhere within COVERAGE_RECHECK_MS (5 s), not before', async () => {
    const at = fakeClock();
    const lookup = async () =>
      (
        (await (await SELF.fetch(url('/v1/zeist/postcodes/3701'))).json()) as {
          team: { closureMessage: string | null };
        }
      ).team.closureMessage;
    expect(await lookup()).toBeNull();
    const [team] = (await teamsOf('zeist')).filter((t) => t.isDefaultIntake);
    await tenantDatabase('zeist').execute({
      sql: 'UPDATE teams SET closure_message = ? WHERE id = ?',
      args: ['Gesloten wegens verbouwing', team?.id ?? ''],
    });
    at(4);
    expect(await lookup()).toBeNull();
    at(6);
    expect(await lookup()).toBe('Gesloten wegens verbouwing');
    await tenantDatabase('zeist').execute({
      sql: 'UPDATE teams SET closure_message = NULL WHERE id = ?',
      args: [team?.id ?? ''],
    });
  });
});

describe('strangers in workerd', () => {
  const controlRequests = async () =>
    ((await (await fetch('http://stats.test/')).json()) as { controlRequests: number }).controlRequests;
  const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const randomKey = () =>
    `wt_partner_zeist_${Array.from(crypto.getRandomValues(new Uint8Array(43)), (b) => BASE62[b % 62]).join('')}`;

  it('150 made-up municipalities from one client: a bounded number of control requests, then 429', async () => {
    const before = await controlRequests();
    const statuses: number[] = [];
    for (let i = 0; i < 150; i++) {
      const res = await SELF.fetch(url(`/v1/nope-${crypto.randomUUID().slice(0, 8)}/teams`), {
        headers: { 'CF-Connecting-IP': '198.51.100.77' },
      });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 404)).toHaveLength(60);
    expect(statuses.filter((s) => s === 429)).toHaveLength(90);
    expect((await controlRequests()) - before).toBeLessThanOrEqual(60);
  });

  it('100 random well-formed keys from one client: a bounded number of control requests, then 429', async () => {
    const before = await controlRequests();
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await SELF.fetch(url('/v1/zeist/teams'), {
        headers: { 'CF-Connecting-IP': '198.51.100.78', Authorization: `Bearer ${randomKey()}` },
      });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(30);
    expect(statuses.filter((s) => s === 429)).toHaveLength(70);
    expect((await controlRequests()) - before).toBeLessThanOrEqual(30);
  });
});

describe('the rate-limiting binding in workerd', () => {
  it('is configured (wrangler.toml LOOKUP_LIMITER) and refuses a key past its limit', async () => {
    const binding = (
      env as unknown as { LOOKUP_LIMITER: { limit(o: { key: string }): Promise<{ success: boolean }> } }
    ).LOOKUP_LIMITER;
    const outcomes: boolean[] = [];
    for (let i = 0; i < 125; i++) outcomes.push((await binding.limit({ key: 'binding-test' })).success);
    expect(outcomes.slice(0, 120).every(Boolean)).toBe(true);
    expect(outcomes.slice(120).some((ok) => !ok)).toBe(true);
  });
});
