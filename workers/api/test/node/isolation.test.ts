import { SCOPES } from '@wijkteams/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxDrain } from '../../src/outbox-drain.ts';
import { Contract, type OpenApiDocument } from './contract.ts';
import { ADMIN_KEY, nodeAppFixture } from './fixture.ts';
import { bearer } from './helpers.ts';
import { type Call, World } from './world.ts';

const asCall = (call: Call) => [call.path, call.init] as const;

/**
 * Tenant isolation, on every route there is: the routes come from the OpenAPI document, and the
 * document is checked against the router, so a route added without the check fails this suite.
 */
let fixture: Awaited<ReturnType<typeof nodeAppFixture>>;
let foreignKey: string;
let zeistKey: string;
let document: OpenApiDocument;
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
  fixture = await nodeAppFixture({ WEBHOOKS_ALLOW_LOOPBACK: 'true' });
  const res = await fixture.request('/v1/groningen/api-keys', {
    method: 'POST',
    body: JSON.stringify({ name: 'Groningen partner', scopes: ALL_SCOPES }),
    headers: { ...bearer(ADMIN_KEY), 'Content-Type': 'application/json' },
  });
  foreignKey = ((await res.json()) as { key: string }).key;
  const zeist = await fixture.request('/v1/zeist/api-keys', {
    method: 'POST',
    body: JSON.stringify({ name: 'Zeist staff', kind: 'staff', scopes: ALL_SCOPES }),
    headers: { ...bearer(ADMIN_KEY), 'Content-Type': 'application/json' },
  });
  zeistKey = ((await zeist.json()) as { key: string }).key;
  document = (await (await fixture.request('/v1/openapi.json')).json()) as OpenApiDocument;
  operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path: `/v1${path}`,
      secured: ((operation as { security?: unknown[] }).security?.length ?? 0) > 0,
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

  it('refuses a key of tenant A with 403 forbidden on every route of tenant B', async () => {
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
      const body = (await res.json()) as { type?: string };
      outcomes.push({ route: `${method} ${path}`, status: res.status, type: body.type });
    }
    const forbidden = { status: 403, type: 'urn:wijkteams:problem:forbidden' };
    expect(outcomes.filter((o) => o.status !== forbidden.status || o.type !== forbidden.type)).toEqual([]);
  });

  it('does not find a resource of tenant A on tenant B’s path, addressed by its id, even for a key that may see B', async () => {
    const contract = new Contract(document);
    const drain = new OutboxDrain(fixture.runtime, { sweepMs: 3_600_000 });
    fixture.runtime.outbox.kick = (tenant) => drain.kick(tenant);
    drain.start();
    const world = await World.seeded(fixture, contract, drain);
    // Routes that name a resource of the tenant by its id, reference or code (a postcode, or a
    // message template's kind and language, is no resource one tenant made).
    const addressed = contract.operations.filter(
      (op) =>
        op.path.startsWith('/v1/{tenant}/') &&
        op.parameters.some((p) => p.in === 'path' && /Id$|^reference$|^code$/.test(p.name)),
    );
    expect(addressed.length).toBeGreaterThanOrEqual(10);
    const found: string[] = [];
    for (const op of addressed) {
      // Made in groningen (a request, a voucher, a key; the example team is one of groningen's) …
      const values = await world.values(op, 'groningen');
      // … and asked for on zeist's path with zeist's own key, holding every scope.
      const res = await fixture.request(
        ...asCall(world.call(op, { ...values, tenant: 'zeist' }, { key: zeistKey })),
      );
      const body = (await res.json().catch(() => ({}))) as { type?: string };
      if (res.status !== 404 || !/not-found$/.test(body.type ?? ''))
        found.push(`${op.method} ${op.path}: ${res.status} ${body.type ?? ''}`);
    }
    drain.stop();
    expect(found).toEqual([]);
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
