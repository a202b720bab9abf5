/// <reference types="@cloudflare/vitest-pool-workers/types" />
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

const ADMIN = { headers: { Authorization: 'Bearer workers-test-admin-key-0123456789' } };
const get = (path: string, init?: RequestInit) => SELF.fetch(`https://api.example${path}`, init);

describe('the Worker in workerd, against libSQL over Hrana', () => {
  it('is alive, with the API version header', async () => {
    const res = await get('/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('API-Version')).toBe('1.0.0');
  });

  it('lists a tenant’s teams from that tenant’s own database', async () => {
    for (const [slug, kind] of [
      ['groningen', 'wij-team'],
      ['waalre', 'woonzorgservice'],
    ] as const) {
      const res = await get(`/v1/${slug}/teams`);
      expect(res.status).toBe(200);
      const { teams } = (await res.json()) as { teams: { kind: string }[] };
      expect(teams.length).toBeGreaterThanOrEqual(2);
      expect(teams.every((t) => t.kind === kind)).toBe(true);
    }
  });

  it('shows the tenants to the platform admin only', async () => {
    expect((await get('/v1/tenants')).status).toBe(401);
    const res = await get('/v1/tenants/zeist', ADMIN);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ slug: 'zeist', municipalityCode: 'GM0355', status: 'active' });
  });

  it('answers unknown tenants, odd slugs and trailing slashes with problems', async () => {
    const cases: [string, number][] = [
      ['/v1/amsterdam/teams', 404],
      ['/v1/Zeist!/teams', 400],
      ['/v1/zeist/teams/', 404],
    ];
    for (const [path, status] of cases) {
      const res = await get(path);
      expect(res.status, path).toBe(status);
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    }
  });
});

describe('static assets in workerd', () => {
  it('hold the documentation page and Swagger UI (Workers Static Assets)', async () => {
    const assets = (env as unknown as { ASSETS: Fetcher }).ASSETS;
    expect((await assets.fetch('https://api.example/docs/index.html')).status).toBe(200);
    expect((await assets.fetch('https://api.example/docs/swagger-ui-bundle.js')).status).toBe(200);
  });

  it('serves /docs and / as pages, and /docs/ as the 404 problem of every trailing slash', async () => {
    const page = await get('/docs');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/docs/swagger-ui-bundle.js');
    expect(page.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    expect((await get('/')).status).toBe(200);
    const slash = await get('/docs/', { redirect: 'manual' });
    expect(slash.status).toBe(404);
    expect(slash.headers.get('Content-Type')).toBe('application/problem+json');
    expect(slash.headers.get('API-Version')).toBe('1.0.0');
  });
});
