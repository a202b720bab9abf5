import { SCOPES } from '@wijkteams/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, nodeAppFixture } from './fixture.ts';
import { bearer } from './helpers.ts';

/**
 * Tenant isolation, on every route there is: the routes come from the OpenAPI document, and the
 * document is checked against the router, so a route added without the check fails this suite.
 */
let fixture: Awaited<ReturnType<typeof nodeAppFixture>>;
let foreignKey: string;
let operations: { method: string; path: string; secured: boolean }[];

// Every scope a key that does not act as a provider can hold.
const ALL_SCOPES = SCOPES.filter((s) => s !== 'offers:respond');
/** Routes outside /v1 that no key is needed for and that belong to no tenant. */
const UNVERSIONED = [
  // Local development only: a 404 wherever no Notify catcher is configured (production).
  '/dev/messages',
  // The offer link's HTML pages, for people (a provider with no account), not for API clients.
  '/o/:token',
  '/health',
  '/v1/openapi.json',
];
/** Pages for people, in HTML: not operations of the API document. */
const PAGES = ['/status/:tenant/:reference'];

beforeAll(async () => {
  fixture = await nodeAppFixture();
  const res = await fixture.request('/v1/groningen/api-keys', {
    method: 'POST',
    body: JSON.stringify({ name: 'Groningen partner', scopes: ALL_SCOPES }),
    headers: { ...bearer(ADMIN_KEY), 'Content-Type': 'application/json' },
  });
  foreignKey = ((await res.json()) as { key: string }).key;
  const document = (await (await fixture.request('/v1/openapi.json')).json()) as {
    paths: Record<string, Record<string, { security?: unknown[] }>>;
  };
  operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path: `/v1${path}`,
      secured: (operation.security?.length ?? 0) > 0,
    })),
  );
});
afterAll(() => fixture.cleanup());

/** A value of the right shape for each path parameter, so that only the tenant check can refuse. */
function fill(path: string, tenant: string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === 'tenant') return tenant;
    if (name.endsWith('Id')) return `${name.slice(0, -2)}_${'0'.repeat(26)}`;
    return 'x';
  });
}

describe('tenant isolation', () => {
  it('documents every route the router serves', () => {
    const served = fixture.app.routes
      .filter((r) => r.method !== 'ALL' && !UNVERSIONED.includes(r.path) && !PAGES.includes(r.path))
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    const documented = operations.map((o) => `${o.method} ${o.path}`);
    expect([...new Set(served)].sort()).toEqual([...new Set(documented)].sort());
    expect(documented.length).toBeGreaterThanOrEqual(10);
  });

  it('refuses a key of tenant A with 403 or 404 on every route of tenant B', async () => {
    const tenantRoutes = operations.filter(
      (o) => o.path.includes('{tenant}') && !o.path.startsWith('/v1/tenants/'),
    );
    expect(tenantRoutes.length).toBeGreaterThan(5);
    const outcomes = [];
    for (const { method, path } of tenantRoutes) {
      const res = await fixture.request(fill(path, 'zeist'), {
        method,
        headers: { ...bearer(foreignKey), 'Content-Type': 'application/json' },
        ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }),
      });
      outcomes.push({ route: `${method} ${path}`, status: res.status });
    }
    expect(outcomes.filter((o) => o.status !== 403 && o.status !== 404)).toEqual([]);
  });

  it('refuses a tenant key with 403 on every platform route', async () => {
    const platform = operations.filter((o) => o.secured && !o.path.includes('/v1/{tenant}'));
    expect(platform.length).toBeGreaterThanOrEqual(4);
    for (const { method, path } of platform) {
      const res = await fixture.request(fill(path, 'groningen'), {
        method,
        headers: { ...bearer(foreignKey), 'Content-Type': 'application/json' },
        ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }),
      });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
  });
});
