import { createNodeClient } from '@wijkteams/db/node';
import { FINANCE_EXAMPLE } from '../../src/routes/finance/schemas.ts';
import { EXAMPLE } from '../../src/routes/schemas.ts';
import { VOUCHER_EXAMPLE } from '../../src/routes/vouchers/schemas.ts';
import type { Contract, Media, Operation } from './contract.ts';
import { ADMIN_KEY, type nodeAppFixture } from './fixture.ts';
import { seedProviders } from './helpers.ts';

/** The provider the world's own redemptions pay. */
const WORLD_PROVIDER = 'prv-world';

type Fixture = Awaited<ReturnType<typeof nodeAppFixture>>;

export interface Call {
  path: string;
  init: RequestInit;
}

/**
 * Real values for the path parameters and headers of every documented route, in one seeded
 * fixture: a fresh help request for each route that names one (with its status token), a fresh
 * voucher for each that names a code, a fresh key to revoke. Parameters it does not know come
 * from the document's own examples; a route whose examples name nothing that exists here gets no
 * successful answer, and the tests that need one say so.
 *
 * The fixture is seeded so that the document's example team (`EXAMPLE.teamId`) is a team of
 * groningen: the examples of the team and coverage routes then name a team that exists.
 */
export class World {
  #idempotency = 0;
  /** One webhook subscription and one delivery per tenant, made when first needed (at most 25 may be active). */
  readonly #subscriptions = new Map<string, Promise<string>>();
  readonly #deliveries = new Map<string, Promise<string>>();
  constructor(
    readonly fixture: Fixture,
    readonly contract: Contract,
    /** Runs the outbox's sender (OutboxDrain on Node), for routes that name a delivery. */
    readonly drain?: { kick(tenant: string): void; settled(): Promise<void> },
    readonly tenant: string = EXAMPLE.tenant,
  ) {}

  static async seeded(fixture: Fixture, contract: Contract, drain?: World['drain']): Promise<World> {
    const world = new World(fixture, contract, drain);
    const created = await world.#admin('POST', '/v1/groningen/teams', {
      name: 'Voorbeeldteam',
      kind: 'wij-team',
    });
    const { id } = (await created.json()) as { id: string };
    const dbFile = 'tenants/groningen.db';
    const db = createNodeClient({ url: `file:${dbFile}` }, { dataDir: fixture.dataDir });
    try {
      await db.execute({ sql: 'UPDATE teams SET id = ? WHERE id = ?', args: [EXAMPLE.teamId, id] });
    } finally {
      db.close();
    }
    // Redemptions pay a registered provider: the documented example's and the world's own, in both
    // tenants (a voucher of one asked for on the other's path is then refused for the voucher alone).
    for (const tenant of ['groningen', 'zeist']) {
      await seedProviders(fixture.dataDir, tenant, [
        VOUCHER_EXAMPLE.provider,
        WORLD_PROVIDER,
        FINANCE_EXAMPLE.providerId,
      ]);
    }
    const tenant = (await (await world.#admin('GET', '/v1/tenants/groningen')).json()) as { id: string };
    fixture.runtime.coverage.forget(tenant.id);
    return world;
  }

  #admin(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.fixture.request(path, {
      method,
      headers: {
        Authorization: `Bearer ${ADMIN_KEY}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  async #request(tenant: string): Promise<{ reference: string; statusToken: string }> {
    const res = await this.#admin('POST', `/v1/${tenant}/requests`, {
      postcode: tenant === 'zeist' ? '3701 AB' : '9712 CP',
      category: 'odd-jobs',
      description: 'Een lamp ophangen.',
      contact: { name: 'J. de Vries', phone: '0612345678' },
      consent: true,
    });
    if (res.status !== 201) throw new Error(`Seeding a request: ${res.status} ${await res.text()}`);
    return (await res.json()) as { reference: string; statusToken: string };
  }

  async #voucher(tenant: string): Promise<{ code: string; accountId: string; batchId: string }> {
    const res = await this.#admin(
      'POST',
      `/v1/${tenant}/voucher-batches`,
      { holder: `res-world-${++this.#idempotency}`, count: 1 },
      { 'Idempotency-Key': this.idempotencyKey() },
    );
    if (res.status !== 201) throw new Error(`Seeding a voucher: ${res.status} ${await res.text()}`);
    const batch = (await res.json()) as { batchId: string; accountId: string; vouchers: { code: string }[] };
    return { code: batch.vouchers[0]?.code ?? '', accountId: batch.accountId, batchId: batch.batchId };
  }

  async #key(tenant: string): Promise<string> {
    const res = await this.#admin('POST', `/v1/${tenant}/api-keys`, {
      name: 'World key',
      scopes: ['requests:read'],
    });
    return ((await res.json()) as { id: string }).id;
  }

  /** A subscription whose deliveries fail (nothing listens on port 9), so that they stay retryable. */
  async #subscription(tenant: string): Promise<string> {
    const res = await this.#admin('POST', `/v1/${tenant}/webhook-subscriptions`, {
      url: 'http://127.0.0.1:9/hooks',
      events: ['request.created'],
    });
    if (res.status !== 201) throw new Error(`Seeding a subscription: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  }

  async #delivery(tenant: string, subscriptionId: string): Promise<string> {
    if (!this.drain) throw new Error('A route names a delivery: give the World an outbox drain');
    await this.#request(tenant);
    this.drain.kick(tenant);
    await this.drain.settled();
    const res = await this.#admin('GET', `/v1/${tenant}/webhook-subscriptions/${subscriptionId}/deliveries`);
    const { deliveries } = (await res.json()) as { deliveries: { id: string }[] };
    if (!deliveries[0]) throw new Error('Seeding a delivery: the outbox delivered nothing');
    return deliveries[0].id;
  }

  idempotencyKey(): string {
    return `world-${Date.now()}-${++this.#idempotency}`;
  }

  /** The values a route's path names, made for this call in `tenant` (defaults to the world's). */
  async values(op: Operation, tenant = this.tenant): Promise<Record<string, string>> {
    const names = new Set(op.parameters.filter((p) => p.in !== 'query').map((p) => p.name));
    const values: Record<string, string> = {};
    for (const p of op.parameters) if (p.example !== undefined) values[p.name] = String(p.example);
    for (const p of op.parameters) {
      const example = p.schema?.example;
      if (values[p.name] === undefined && example !== undefined) values[p.name] = String(example);
    }
    values.tenant = tenant;
    if (names.has('reference')) {
      const request = await this.#request(tenant);
      values.reference = request.reference;
      values['status-token'] = request.statusToken;
    }
    if (names.has('code') || names.has('accountId')) Object.assign(values, await this.#voucher(tenant));
    if (names.has('keyId')) values.keyId = await this.#key(tenant);
    if (names.has('subscriptionId')) {
      // Revoking takes a fresh one; everything else shares the tenant's.
      if (op.method === 'DELETE') values.subscriptionId = await this.#subscription(tenant);
      else {
        if (!this.#subscriptions.has(tenant)) this.#subscriptions.set(tenant, this.#subscription(tenant));
        values.subscriptionId = await (this.#subscriptions.get(tenant) as Promise<string>);
      }
    }
    if (names.has('deliveryId')) {
      const subscriptionId = values.subscriptionId as string;
      if (!this.#deliveries.has(tenant)) this.#deliveries.set(tenant, this.#delivery(tenant, subscriptionId));
      values.deliveryId = await (this.#deliveries.get(tenant) as Promise<string>);
    }
    if (names.has('teamId')) {
      // Removing takes a team of its own, made for it; everything else uses the example team.
      const fresh = op.method === 'DELETE' ? await this.#createdFor(op, 'teamId', tenant, values) : undefined;
      if (fresh) values.teamId = fresh;
      else if (tenant === EXAMPLE.tenant) values.teamId = EXAMPLE.teamId;
    }
    if (names.has('transferId')) values.transferId = await this.#redemption(tenant);
    // A payout pays what is owed: the documented provider is owed something before each one.
    if (op.method === 'POST' && op.path.endsWith('/payout-batches')) await this.#owed(tenant);
    if (names.has('batchId') && op.path.includes('/payout-batches/'))
      values.batchId = await this.#payoutBatch(tenant);
    if (names.has('batchId') && op.path.includes('/voucher-batches/'))
      values.batchId = (await this.#voucher(tenant)).batchId;
    if (names.has('idempotency-key')) values['idempotency-key'] = this.idempotencyKey();
    // Any other resource: made with the documented example of the POST on its collection.
    const known = new Set([
      'tenant',
      'reference',
      'code',
      'accountId',
      'keyId',
      'subscriptionId',
      'deliveryId',
      'teamId',
      'transferId',
      'batchId',
    ]);
    for (const p of op.parameters) {
      if (p.in !== 'path' || known.has(p.name)) continue;
      const made = await this.#createdFor(op, p.name, tenant, values);
      if (made !== undefined) values[p.name] = made;
    }
    return values;
  }

  /**
   * The documented provider is owed a voucher, has its IBAN, and the municipality its payout account
   * (set again each time: other routes' examples replace the settings whole).
   */
  async #owed(tenant: string): Promise<void> {
    const settings = await this.#admin('PATCH', `/v1/${tenant}/settings`, {
      payoutAccount: { name: 'Gemeente', iban: FINANCE_EXAMPLE.otherIban },
    });
    const provider = await this.#admin('PATCH', `/v1/${tenant}/providers/${FINANCE_EXAMPLE.providerId}`, {
      iban: FINANCE_EXAMPLE.iban,
    });
    if (settings.status !== 200 || provider.status !== 200)
      throw new Error(`Seeding a payable provider: ${await settings.text()} ${await provider.text()}`);
    await this.#redemption(tenant, FINANCE_EXAMPLE.providerId);
  }

  /** A payout batch that paid the documented provider. */
  async #payoutBatch(tenant: string): Promise<string> {
    await this.#owed(tenant);
    const res = await this.#admin(
      'POST',
      `/v1/${tenant}/payout-batches`,
      { providers: [FINANCE_EXAMPLE.providerId] },
      { 'Idempotency-Key': this.idempotencyKey() },
    );
    if (res.status !== 201) throw new Error(`Seeding a payout batch: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { batchId: string }).batchId;
  }

  /** A redeemed voucher's transfer (what a reversal names). */
  async #redemption(tenant: string, provider = WORLD_PROVIDER): Promise<string> {
    const { code } = await this.#voucher(tenant);
    const res = await this.#admin(
      'POST',
      `/v1/${tenant}/vouchers/${code}/redemptions`,
      { provider },
      { 'Idempotency-Key': this.idempotencyKey() },
    );
    return ((await res.json()) as { transferId?: string }).transferId ?? '';
  }

  /**
   * For `/v1/{tenant}/things/{thingId}/…`: POST `/v1/{tenant}/things` with its documented example,
   * and the new thing's `thingId`, `id` or `slug`. Undefined where there is no such POST or it
   * does not succeed (a slug taken already is then most likely the example's own).
   */
  async #createdFor(op: Operation, name: string, tenant: string, values: Record<string, string>) {
    const collection = op.path.slice(0, op.path.indexOf(`/{${name}}`));
    const create = this.contract.operations.find((o) => o.method === 'POST' && o.path === collection);
    if (!create) return undefined;
    const call = this.call(create, { ...values, tenant, 'idempotency-key': this.idempotencyKey() });
    const res = await this.fixture.request(call.path, call.init);
    if (res.status !== 201 && res.status !== 200) return undefined;
    const made = (await res.json()) as Record<string, unknown>;
    const value = made[name] ?? made.id ?? made.slug;
    return typeof value === 'string' ? value : undefined;
  }

  /**
   * A call of `op` as documented: the platform admin key (it holds every scope), the path with
   * `values`, every required query parameter and header from them or the document, and the
   * documented example body.
   */
  call(
    op: Operation,
    values: Record<string, string>,
    extra: { query?: string; key?: string | null } = {},
  ): Call {
    const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? name));
    const query = new URLSearchParams();
    for (const p of op.parameters)
      if (p.in === 'query' && p.required) query.set(p.name, values[p.name] ?? '');
    const search = [query.toString(), extra.query ?? ''].filter(Boolean).join('&');
    const headers: Record<string, string> = {};
    if (extra.key !== null) headers.Authorization = `Bearer ${extra.key ?? ADMIN_KEY}`;
    for (const p of op.parameters)
      if (p.in === 'header' && values[p.name] !== undefined) headers[p.name] = values[p.name] as string;
    const init: RequestInit = { method: op.method, headers };
    const json = op.requestBody?.content['application/json'];
    if (json) {
      const [example] = this.contract.examplesOf(json as Media);
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(example ?? {});
    }
    return { path: search ? `${path}?${search}` : path, init };
  }
}
