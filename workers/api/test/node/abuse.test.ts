import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Client } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { Runtime } from '../../src/runtime.ts';
import { ADMIN_KEY, nodeAppFixture } from './fixture.ts';
import { bearer, expectProblem, json } from './helpers.ts';

type Fixture = Awaited<ReturnType<typeof nodeAppFixture>>;

/** Counts every statement the app sends to the control database. */
function countControlQueries(runtime: Runtime): { count: number } {
  const counter = { count: 0 };
  const open = runtime.databases.control.bind(runtime.databases);
  const counted = new WeakMap<Client, Client>();
  runtime.databases = {
    ...runtime.databases,
    release: runtime.databases.release.bind(runtime.databases),
    tenant: runtime.databases.tenant.bind(runtime.databases),
    control: () => {
      const client = open();
      let proxy = counted.get(client);
      if (!proxy) {
        proxy = new Proxy(client, {
          get(target, property, receiver) {
            const value = Reflect.get(target, property, receiver);
            if (typeof value !== 'function') return value;
            if (property === 'execute' || property === 'batch' || property === 'executeMultiple') {
              return (...args: unknown[]) => {
                counter.count++;
                return value.apply(target, args);
              };
            }
            return value.bind(target);
          },
        });
        counted.set(client, proxy);
      }
      return proxy;
    },
  };
  return counter;
}

const randomSlug = (i: number) => `x${crypto.randomUUID().slice(0, 8)}-${i}`;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const randomKey = () =>
  `wt_partner_zeist_${Array.from(crypto.getRandomValues(new Uint8Array(43)), (b) => BASE62[b % 62]).join('')}`;

describe('strangers pay before the database does', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await nodeAppFixture({ TRUSTED_PROXY_HEADER: 'X-Real-IP' });
  });
  afterAll(() => fixture.cleanup());

  it('300 requests to made-up municipalities cost a bounded number of control queries, then 429', async () => {
    await fixture.request('/v1/zeist/teams', { headers: { 'X-Real-IP': '198.51.100.1' } }); // cached
    const queries = countControlQueries(fixture.runtime);
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++) {
      const res = await fixture.request(`/v1/${randomSlug(i)}/teams`, {
        headers: { 'X-Real-IP': '198.51.100.1', ...(i % 2 ? { Origin: 'https://evil.example' } : {}) },
      });
      statuses.push(res.status);
    }
    expect(queries.count).toBeLessThanOrEqual(60); // LOOKUP_RATE_LIMIT_PER_MINUTE
    expect(statuses.filter((s) => s === 404).length).toBe(60);
    expect(statuses.filter((s) => s === 429).length).toBe(240);
    const refused = await fixture.request(`/v1/${randomSlug(301)}/teams`, {
      headers: { 'X-Real-IP': '198.51.100.1' },
    });
    await expectProblem(refused, 429, 'rate-limited');
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    // A municipality this isolate knows costs nothing, so it still answers the same caller.
    expect(
      (await fixture.request('/v1/zeist/teams', { headers: { 'X-Real-IP': '198.51.100.1' } })).status,
    ).toBe(200);
    // Another client is not held back by this one.
    expect(
      (await fixture.request(`/v1/${randomSlug(302)}/teams`, { headers: { 'X-Real-IP': '198.51.100.2' } }))
        .status,
    ).toBe(404);
  });

  it('remembers an unknown municipality for a while: asking again costs no query', async () => {
    const slug = randomSlug(0);
    const headers = { 'X-Real-IP': '198.51.100.3' };
    expect((await fixture.request(`/v1/${slug}/teams`, { headers })).status).toBe(404);
    const queries = countControlQueries(fixture.runtime);
    for (let i = 0; i < 20; i++)
      expect((await fixture.request(`/v1/${slug}/teams`, { headers })).status).toBe(404);
    expect(queries.count).toBe(0);
  });

  it('300 random well-formed keys cost a bounded number of control queries, then 429', async () => {
    const queries = countControlQueries(fixture.runtime);
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++) {
      const res = await fixture.request('/v1/zeist/teams', {
        headers: { 'X-Real-IP': '203.0.113.9', ...bearer(randomKey()) },
      });
      statuses.push(res.status);
    }
    expect(queries.count).toBeLessThanOrEqual(30); // AUTH_FAILURE_LIMIT_PER_MINUTE
    expect(statuses.filter((s) => s === 401).length).toBe(30);
    expect(statuses.filter((s) => s === 429).length).toBe(270);
    // Without a key the same caller is still served: only its keys are refused.
    expect(
      (await fixture.request('/v1/zeist/teams', { headers: { 'X-Real-IP': '203.0.113.9' } })).status,
    ).toBe(200);
  });

  it('keeps a key at its rate limit limited after 50,000 other client IPs were counted', async () => {
    const limited = await nodeAppFixture({ KEY_RATE_LIMIT_PER_MINUTE: '5' });
    try {
      const created = await limited.request(
        '/v1/zeist/api-keys',
        json('POST', { name: 'Busy partner', scopes: ['requests:read'] }, bearer(ADMIN_KEY)),
      );
      const { key } = (await created.json()) as { key: string };
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push((await limited.request('/v1/zeist/teams', { headers: bearer(key) })).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      const { clients } = limited.runtime.limits;
      for (let i = 0; i < 50_000; i++) clients.take(`tenant:10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, 120);
      expect(clients.size).toBe(50_000);
      await expectProblem(
        await limited.request('/v1/zeist/teams', { headers: bearer(key) }),
        429,
        'rate-limited',
      );
    } finally {
      limited.cleanup();
    }
  });
});

describe('the client IP', () => {
  it('on Node without a trusted proxy: a CF-Connecting-IP or X-Forwarded-For sent by the caller changes nothing', async () => {
    const fixture = await nodeAppFixture({ PUBLIC_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await fixture.request('/v1/zeist/teams', {
          headers: {
            'CF-Connecting-IP': `192.0.2.${i}`,
            'X-Forwarded-For': `192.0.2.${i}`,
            'X-Real-IP': `192.0.2.${i}`,
          },
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      fixture.cleanup();
    }
  });

  it('on a real socket: the audit log records the peer address, not a forged header', async () => {
    const fixture = await nodeAppFixture();
    const app = createApp({ runtime: () => fixture.runtime });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v1/zeist/api-keys`, {
        method: 'POST',
        body: JSON.stringify({ name: 'Forged origin', scopes: ['requests:read'] }),
        headers: { ...bearer(ADMIN_KEY), 'Content-Type': 'application/json', 'CF-Connecting-IP': '6.6.6.6' },
      });
      expect(res.status).toBe(201);
      const audit = await fetch(`http://127.0.0.1:${port}/v1/zeist/audit-events`, {
        headers: bearer(ADMIN_KEY),
      });
      const { auditEvents: events } = (await audit.json()) as {
        auditEvents: { action: string; origin: string }[];
      };
      const created = events.find((e) => e.action === 'key.created');
      expect(created?.origin).toBe('127.0.0.1');
      expect(JSON.stringify(events)).not.toContain('6.6.6.6');
    } finally {
      await new Promise((resolve) => server.close(resolve));
      fixture.cleanup();
    }
  });

  it('behind a trusted proxy: the last value of its header, per client', async () => {
    const fixture = await nodeAppFixture({
      PUBLIC_RATE_LIMIT_PER_MINUTE: '1',
      TRUSTED_PROXY_HEADER: 'X-Forwarded-For',
    });
    try {
      const from = (value: string) =>
        fixture.request('/v1/zeist/teams', { headers: { 'X-Forwarded-For': value } });
      expect((await from('6.6.6.6, 192.0.2.1')).status).toBe(200);
      expect((await from('7.7.7.7, 192.0.2.1')).status).toBe(429); // the caller's own part is ignored
      expect((await from('192.0.2.2')).status).toBe(200);
    } finally {
      fixture.cleanup();
    }
  });
});

describe('tenant settings', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await nodeAppFixture();
  });
  afterAll(() => fixture.cleanup());

  it.each(['', 'x', '*', 'null', 'https://www.zeist.nl/', 'ftp://zeist.nl', 'https://zeist.nl/path'])(
    'refuses %j as a CORS origin with a 400 naming the field',
    async (origin) => {
      const res = await fixture.request(
        '/v1/tenants/zeist',
        json('PATCH', { settings: { corsOrigins: ['https://www.zeist.nl', origin] } }, bearer(ADMIN_KEY)),
      );
      const problem = await expectProblem(res, 400, 'validation-failed');
      expect(problem.invalidParams).toEqual([
        { name: 'body.settings.corsOrigins.1', reason: expect.any(String) },
      ]);
    },
  );

  it('takes real origins', async () => {
    const res = await fixture.request(
      '/v1/tenants/zeist',
      json(
        'PATCH',
        { settings: { corsOrigins: ['https://www.zeist.nl', 'http://localhost:5173'] } },
        bearer(ADMIN_KEY),
      ),
    );
    expect(res.status).toBe(200);
  });
});

describe('a database that refuses a request for its size', () => {
  it('is a 413 problem, not a 500', async () => {
    const { LibsqlError } = await import('@libsql/client');
    const { toApiError } = await import('../../src/problem-response.ts');
    const refused = new LibsqlError('Request body exceeds 8388608 bytes', 'BODY_TOO_LARGE');
    expect(toApiError(refused).status).toBe(413);
    expect(toApiError(new Error('wrapped', { cause: refused })).code).toBe('payload-too-large');
    expect(toApiError(Object.assign(new Error('HTTP 413'), { status: 413 })).status).toBe(413);
    expect(toApiError(new Error('something else')).status).toBe(500);
  });
});

describe('the edge-wide lookup budget', () => {
  it('locks a client out in the isolate once the platform’s rate limiter says it is over', async () => {
    const fixture = await nodeAppFixture({
      LOOKUP_RATE_LIMIT_PER_MINUTE: '1000',
      TRUSTED_PROXY_HEADER: 'X-Real-IP',
    });
    try {
      const asked: string[] = [];
      fixture.runtime.limits.edgeLookups = {
        limit: async ({ key }) => {
          asked.push(key);
          return { success: asked.length <= 5 };
        },
      };
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        const res = await fixture.request(`/v1/${randomSlug(i)}/teams`, {
          headers: { 'X-Real-IP': '192.0.2.50' },
        });
        statuses.push(res.status);
      }
      // Five misses pass, the sixth is the one the platform refused, the rest are refused here.
      expect(statuses.filter((s) => s === 404)).toHaveLength(6);
      expect(statuses.filter((s) => s === 429)).toHaveLength(14);
      expect(asked).toHaveLength(6);
      expect(new Set(asked)).toEqual(new Set(['lookup:192.0.2.50']));
      // A municipality that exists is not counted at the edge at all.
      expect(
        (await fixture.request('/v1/waalre/teams', { headers: { 'X-Real-IP': '192.0.2.51' } })).status,
      ).toBe(200);
      expect(asked).toHaveLength(6);
    } finally {
      fixture.cleanup();
    }
  });
});
