import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxDrain } from '../../src/outbox-drain.ts';
import { Contract, type OpenApiDocument, type Operation } from './contract.ts';
import { ADMIN_KEY, nodeAppFixture } from './fixture.ts';
import { World } from './world.ts';

/**
 * Every route in the document, called on a live app: each answer's body is checked with Ajv
 * against the schema the document gives for its status, successes and refusals alike. The routes
 * come from the document, so a route added later is called too, and one that cannot be made to
 * succeed here is named.
 */
let fixture: Awaited<ReturnType<typeof nodeAppFixture>>;
let contract: Contract;
let world: World;
let zeistKey: string;
/** `METHOD path → status` of every answer checked, and what was wrong with each. */
const checked = new Map<string, Set<number>>();
const problems: string[] = [];

let drain: OutboxDrain;

beforeAll(async () => {
  // Every route is called with a bad key and an unknown tenant, all from one client: the strangers'
  // budgets (tested on their own) would answer 429 long before the last route.
  fixture = await nodeAppFixture({
    WEBHOOKS_ALLOW_LOOPBACK: 'true',
    LOOKUP_RATE_LIMIT_PER_MINUTE: '100000',
    AUTH_FAILURE_LIMIT_PER_MINUTE: '100000',
    PUBLIC_RATE_LIMIT_PER_MINUTE: '100000',
    KEY_RATE_LIMIT_PER_MINUTE: '100000',
  });
  drain = new OutboxDrain(fixture.runtime, { sweepMs: 3_600_000 });
  fixture.runtime.outbox.kick = (tenant) => drain.kick(tenant);
  drain.start();
  contract = new Contract((await (await fixture.request('/v1/openapi.json')).json()) as OpenApiDocument);
  world = await World.seeded(fixture, contract, drain);
  const res = await fixture.request('/v1/zeist/api-keys', {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Zeist partner', scopes: ['requests:read'] }),
  });
  zeistKey = ((await res.json()) as { key: string }).key;
});
afterAll(() => {
  drain.stop();
  fixture.cleanup();
});

/** Sends a call and checks its answer against the document; returns the answer. */
async function send(op: Operation, call: { path: string; init: RequestInit }): Promise<Response> {
  const res = await fixture.request(call.path, call.init);
  problems.push(...(await contract.problemsOf(op, res)));
  const key = `${op.method} ${op.path}`;
  checked.set(key, (checked.get(key) ?? new Set()).add(res.status));
  return res;
}

const byRoute = (op: Operation) => `${op.method} ${op.path}`;

describe('every answer matches the schema documented for its status', () => {
  it('sends every documented request example to the app, and none is refused for its shape', async () => {
    const refused: string[] = [];
    const withBody = contract.operations.filter((op) => op.requestBody?.content['application/json']);
    expect(withBody.length).toBeGreaterThanOrEqual(15);
    for (const op of withBody) {
      const res = await send(op, world.call(op, await world.values(op)));
      if (res.status === 400) refused.push(`${byRoute(op)}: ${await res.text()}`);
    }
    expect(refused, 'A documented example must be accepted as to its shape: fix the example').toEqual([]);
    expect(problems, 'Answers must match the schema documented for their status').toEqual([]);
  });

  it('answers every route with a documented success for real values', async () => {
    for (const op of contract.operations) await send(op, world.call(op, await world.values(op)));
    expect(problems).toEqual([]);
    const withoutSuccess = contract.operations
      .filter((op) => ![...(checked.get(byRoute(op)) ?? [])].some((status) => status < 300))
      .map((op) => `${byRoute(op)} answered ${[...(checked.get(byRoute(op)) ?? [])].join(', ')}`);
    expect(
      withoutSuccess,
      'These routes got no success: give their path parameters real values in test/node/world.ts (World.values), or examples that exist in the fixture',
    ).toEqual([]);
  });

  it('answers every route’s refusals as documented: unknown query parameter, no key, bad key, another tenant’s key, unknown tenant', async () => {
    const misnamed: string[] = [];
    for (const op of contract.operations) {
      const values = await world.values(op);
      const unknown = await send(op, world.call(op, values, { query: 'unknownParam=1' }));
      const body = (await unknown.json()) as { invalidParams?: { name: string }[] };
      if (unknown.status !== 400 || !body.invalidParams?.some((p) => p.name === 'query.unknownParam'))
        misnamed.push(`${byRoute(op)}: ${unknown.status}`);
      await send(
        op,
        world.call(op, values, { key: 'wt_partner_groningen_notarealkeynotarealkeynotarealkey12' }),
      );
      if (op.secured) await send(op, world.call(op, values, { key: null }));
      await send(op, world.call(op, values, { key: zeistKey }));
      if (op.path.includes('{tenant}')) await send(op, world.call(op, { ...values, tenant: 'nowhere' }));
    }
    expect(misnamed).toEqual([]);
    expect(problems).toEqual([]);
    const withoutRefusal = contract.operations.filter(
      (op) => ![...(checked.get(byRoute(op)) ?? [])].some((status) => status >= 400),
    );
    expect(withoutRefusal.map(byRoute)).toEqual([]);
  });

  it('answers every CSV export as documented: its type, the header row of its example, Vary: Accept', async () => {
    const exports = contract.operations.filter((op) => op.responses['200']?.content?.['text/csv']);
    expect(exports.map((op) => op.operationId).sort()).toEqual([
      'exportPostcodeAreas',
      'getAccountStatement',
      'getRequestReport',
      'getSettlement',
      'getVoucherReport',
      'listVouchers',
    ]);
    for (const op of exports) {
      const call = world.call(op, await world.values(op));
      const headers = { ...(call.init.headers as Record<string, string>), Accept: 'text/csv' };
      const res = await send(op, { path: call.path, init: { ...call.init, headers } });
      expect([byRoute(op), res.status, res.headers.get('Content-Type')]).toEqual([
        byRoute(op),
        200,
        'text/csv; charset=utf-8',
      ]);
      expect(res.headers.get('Vary'), byRoute(op)).toMatch(/\bAccept\b/);
    }
    expect(problems).toEqual([]);
  });

  it('answers bodies it does not take as documented: not JSON (415), too large (413)', async () => {
    const withBody = contract.operations.filter((op) => op.requestBody);
    for (const op of withBody) {
      const values = await world.values(op);
      const call = world.call(op, values);
      const headers = { ...(call.init.headers as Record<string, string>) };
      await send(op, {
        path: call.path,
        init: { ...call.init, headers: { ...headers, 'Content-Type': 'text/plain' } },
      });
      await send(op, {
        path: call.path,
        init: { ...call.init, body: JSON.stringify({ padding: 'x'.repeat(70_000) }) },
      });
    }
    expect(problems).toEqual([]);
  });

  it('replays a request with the same Idempotency-Key, and refuses a settled voucher, as documented', async () => {
    const idempotent = contract.operations.filter((op) =>
      op.parameters.some((p) => p.in === 'header' && p.name === 'idempotency-key'),
    );
    expect(idempotent.length).toBeGreaterThanOrEqual(5);
    for (const op of idempotent) {
      const values = await world.values(op);
      const first = await send(op, world.call(op, values));
      const again = await send(op, world.call(op, values));
      expect([byRoute(op), again.status], await again.clone().text()).toEqual([byRoute(op), first.status]);
      // The same request under a new key: a new command (a voucher already redeemed or voided is a 409).
      await send(op, world.call(op, { ...values, 'idempotency-key': world.idempotencyKey() }));
    }
    expect(problems).toEqual([]);
  });

  it('answers a postcode of another municipality as documented (422 address-not-served, naming it)', async () => {
    const op = contract.operations.find((o) => o.operationId === 'createRequest') as Operation;
    const call = world.call(op, await world.values(op));
    const body = { ...(JSON.parse(String(call.init.body)) as object), postcode: '3701 AB' };
    const res = await send(op, { path: call.path, init: { ...call.init, body: JSON.stringify(body) } });
    expect(res.status).toBe(422);
    expect(
      ((await res.json()) as { servedBy?: { municipality: { name: string } } }).servedBy?.municipality.name,
    ).toBe('Zeist');
    expect(problems).toEqual([]);
  });

  it('answers each media type a route documents when asked for it, and an Accept it cannot give with its documented 406', async () => {
    const negotiating = contract.operations.filter(
      (op) => Object.keys(op.responses['200']?.content ?? {}).length > 1 || op.responses['406'],
    );
    expect(negotiating.map(byRoute)).toContain('GET /v1/{tenant}/voucher-batches/{batchId}');
    const answered: string[] = [];
    for (const op of negotiating) {
      for (const type of Object.keys(op.responses['200']?.content ?? {})) {
        const call = world.call(op, await world.values(op));
        const headers = { ...(call.init.headers as Record<string, string>), Accept: type };
        const res = await send(op, { path: call.path, init: { ...call.init, headers } });
        answered.push(
          `${byRoute(op)} ${type} → ${res.status} ${res.headers.get('Content-Type')?.split(';')[0]}`,
        );
      }
      if (op.responses['406']) {
        const call = world.call(op, await world.values(op));
        const headers = { ...(call.init.headers as Record<string, string>), Accept: 'image/avif' };
        const res = await send(op, { path: call.path, init: { ...call.init, headers } });
        answered.push(`${byRoute(op)} image/avif → ${res.status} ${res.headers.get('Content-Type')}`);
      }
    }
    expect(answered).toEqual(
      negotiating.flatMap((op) => [
        ...Object.keys(op.responses['200']?.content ?? {}).map(
          (type) => `${byRoute(op)} ${type} → 200 ${type}`,
        ),
        ...(op.responses['406'] ? [`${byRoute(op)} image/avif → 406 application/problem+json`] : []),
      ]),
    );
    expect(problems).toEqual([]);
  });

  it('covers every route and status of the document that it reached (the count in the report)', () => {
    const pairs = [...checked.values()].reduce((n, statuses) => n + statuses.size, 0);
    expect(checked.size).toBe(contract.operations.length);
    expect(pairs).toBeGreaterThan(contract.operations.length * 3);
    const byStatus = new Map<number, number>();
    for (const statuses of checked.values())
      for (const s of statuses) byStatus.set(s, (byStatus.get(s) ?? 0) + 1);
    const histogram = [...byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
    process.stdout.write(
      `contract: ${checked.size} routes, ${pairs} route-and-status pairs checked against their schemas (${histogram.join(' ')})\n`,
    );
  });
});
