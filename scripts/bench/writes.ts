/**
 * Write-path benchmarks, each followed by a count or an invariant check:
 * - intake: help requests to five tenants at once; afterwards every 201 is a stored request,
 *   none lost, none duplicated;
 * - redemptions: one tenant, then five tenants at once; afterwards the hash chain and every
 *   balance verify and each voucher was redeemed once;
 * - a burst: many redemptions of one tenant sent at the same moment, each on its own connection
 *   (the Worker's case that a Durable Object per tenant is for).
 */
import { request as httpRequest } from 'node:http';
import autocannon from 'autocannon';

export interface WriteRow {
  what: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  check: string;
}

const TENANTS = ['zeist', 'groningen', 'alkmaar', 'noordoostpolder', 'waalre'];
const POSTCODE: Record<string, string> = {
  zeist: '3701AB',
  groningen: '9712CP',
  alkmaar: '1811AB',
  noordoostpolder: '8301AB',
  waalre: '5581AB',
};

/**
 * An autocannon result with the time from the start to the last response. autocannon notices that
 * `amount` requests are done only at its next one-second tick, so its own `duration` is rounded up
 * to whole seconds: for runs of a few seconds that understates the rate by up to a fifth.
 */
type Result = autocannon.Result & { seconds: number };
const run = (options: autocannon.Options) =>
  new Promise<Result>((resolve, reject) => {
    const started = performance.now();
    let last = started;
    const instance = autocannon(options, (error, result) =>
      error ? reject(error) : resolve({ ...result, seconds: (last - started) / 1000 }),
    );
    instance.on('response', () => {
      last = performance.now();
    });
  });

function combine(what: string, results: Result[], check: string): WriteRow {
  const requests = results.reduce((n, r) => n + r.requests.total, 0);
  const seconds = Math.max(...results.map((r) => r.seconds));
  return {
    what,
    requests,
    rps: requests / seconds,
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    non2xx: results.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0),
    check,
  };
}

export async function benchIntake(base: string, adminKey: string, perTenant: number): Promise<WriteRow> {
  const created = new Map<string, number>();
  const results = await Promise.all(
    TENANTS.map((tenant) =>
      run({
        url: `${base}/v1/${tenant}/requests`,
        connections: 4,
        amount: perTenant,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          postcode: POSTCODE[tenant],
          category: 'errands',
          description: 'Boodschappen doen op donderdag, benchmark.',
          contact: { name: 'Bench Mark', phone: '0612345678' },
          consent: true,
        }),
      }).then((r) => {
        created.set(tenant, r['2xx']);
        return r;
      }),
    ),
  );
  let mismatches = 0;
  for (const tenant of TENANTS) {
    let stored = 0;
    let cursor: string | null = null;
    do {
      const page = (await (
        await fetch(`${base}/v1/${tenant}/requests?limit=100${cursor ? `&cursor=${cursor}` : ''}`, {
          headers: { Authorization: `Bearer ${adminKey}` },
        })
      ).json()) as { requests: unknown[]; nextCursor: string | null };
      stored += page.requests.length;
      cursor = page.nextCursor;
    } while (cursor);
    if (stored !== created.get(tenant)) mismatches++;
  }
  const total = [...created.values()].reduce((a, b) => a + b, 0);
  return combine(
    'POST /v1/{tenant}/requests, 5 tenants at once',
    results,
    mismatches === 0
      ? `${total} answered 201 = ${total} stored, none lost or duplicated`
      : `MISMATCH in ${mismatches} tenant(s)`,
  );
}

/** Issued with keys of their own per `run`, so that two runs on one database get different vouchers. */
async function issueCodes(
  base: string,
  adminKey: string,
  tenant: string,
  count: number,
  run = 'main',
): Promise<string[]> {
  const codes: string[] = [];
  for (let i = 0; codes.length < count; i++) {
    const res = await fetch(`${base}/v1/${tenant}/voucher-batches`, {
      method: 'POST',
      body: JSON.stringify({ holder: `bench-${i % 50}`, count: 100 }),
      headers: {
        Authorization: `Bearer ${adminKey}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': `bench-issue-${run}-${tenant}-${i}`,
      },
    });
    const { vouchers } = (await res.json()) as { vouchers: { code: string }[] };
    codes.push(...vouchers.map((v) => v.code));
  }
  return codes.slice(0, count);
}

/**
 * A registered provider and its own key (`providerId`): redemptions pass key verification, the scope
 * check and its rate limit, and pay the key's own provider account (no `provider` in the body).
 */
async function providerKey(base: string, adminKey: string, tenant: string): Promise<string> {
  const headers = { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' };
  const registered = await fetch(`${base}/v1/${tenant}/providers`, {
    method: 'POST',
    body: JSON.stringify({
      name: 'Klusbedrijf Bench',
      tier: 'company',
      categories: ['odd-jobs'],
      contact: { email: 'bench@example.nl' },
    }),
    headers,
  });
  if (registered.status !== 201) throw new Error(`registering the provider answered ${registered.status}`);
  const { id } = (await registered.json()) as { id: string };
  const res = await fetch(`${base}/v1/${tenant}/api-keys`, {
    method: 'POST',
    body: JSON.stringify({ name: 'Klusbedrijf Bench', scopes: ['vouchers:redeem'], providerId: id }),
    headers,
  });
  const { key } = (await res.json()) as { key: string };
  return key;
}

function redemptions(base: string, key: string, tenant: string, codes: string[]) {
  let next = 0;
  return run({
    url: base,
    connections: 10,
    amount: codes.length,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const code = codes[next++ % codes.length];
          return {
            ...request,
            path: `/v1/${tenant}/vouchers/${code}/redemptions`,
            headers: {
              Authorization: `Bearer ${key}`,
              'content-type': 'application/json',
              'idempotency-key': `bench-${code}`,
            },
            body: '{}',
          };
        },
      },
    ],
  });
}

async function verify(base: string, adminKey: string, tenant: string): Promise<boolean> {
  const v = (await (
    await fetch(`${base}/v1/${tenant}/ledger-verification`, {
      headers: { Authorization: `Bearer ${adminKey}` },
    })
  ).json()) as { chain: { ok: boolean }; balances: { ok: boolean; totalCents: number } };
  return v.chain.ok && v.balances.ok && v.balances.totalCents === 0;
}

export async function benchRedemptions(
  base: string,
  adminKey: string,
  perTenant: number,
): Promise<WriteRow[]> {
  const keys = new Map(
    await Promise.all(TENANTS.map(async (t) => [t, await providerKey(base, adminKey, t)] as const)),
  );
  const single = await issueCodes(base, adminKey, 'waalre', perTenant);
  const one = await redemptions(base, keys.get('waalre') ?? '', 'waalre', single);
  const oneOk = (await verify(base, adminKey, 'waalre')) && one['2xx'] === perTenant;
  const pools = await Promise.all(TENANTS.map((t) => issueCodes(base, adminKey, t, perTenant, 'five')));
  const five = await Promise.all(
    TENANTS.map((t, i) => redemptions(base, keys.get(t) ?? '', t, pools[i] ?? [])),
  );
  const fiveOk =
    (await Promise.all(TENANTS.map((t) => verify(base, adminKey, t)))).every(Boolean) &&
    five.every((r) => r['2xx'] === perTenant);
  const check = (ok: boolean) =>
    ok ? 'every voucher redeemed once; chain and balances verify, sum 0' : 'INVARIANT FAILED';
  return [
    combine('POST …/vouchers/{code}/redemptions, 1 tenant', [one], check(oneOk)),
    combine('POST …/vouchers/{code}/redemptions, 5 tenants at once', five, check(fiveOk)),
  ];
}

/**
 * One POST on a connection of its own, with node:http rather than fetch: the load generator shares
 * the cores with the server under test, and for a burst of 200 fetch (undici) took about 200 ms of
 * CPU, more than the workerd process that served it (about 140 ms); node:http takes about 40 ms.
 */
function post(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const sent = performance.now();
    const req = httpRequest(
      url,
      { method: 'POST', agent: false, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.once('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - sent }));
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

/**
 * `count` vouchers of one tenant redeemed by `count` requests sent at the same moment, each on its
 * own connection, after one redemption to warm up: every one must answer 201, and the ledger must
 * verify afterwards. Repeated `runs` times with vouchers of their own (one burst is a fraction of
 * a second, so one other process on the shared cores can halve it); the row is the median run.
 */
export async function benchBurst(
  base: string,
  adminKey: string,
  count: number,
  label: string,
  runs = 5,
): Promise<WriteRow> {
  const tenant = 'waalre';
  const key = await providerKey(base, adminKey, tenant);
  const redeem = (code: string) =>
    post(`${base}/v1/${tenant}/vouchers/${code}/redemptions`, '{}', {
      Authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      'idempotency-key': `burst-${code}`,
    });
  const bursts: { seconds: number; latencies: number[] }[] = [];
  const statuses = new Map<number, number>();
  for (let run = 0; run < runs; run++) {
    const [warmUp = '', ...codes] = await issueCodes(
      base,
      adminKey,
      tenant,
      count + 1,
      `burst-${label}-${run}`,
    );
    // One redemption first, as a provider that is already at work: its key is verified and cached,
    // and the tenant's ledger writer is running.
    if ((await redeem(warmUp)).status !== 201) throw new Error('the warm-up redemption failed');
    const started = performance.now();
    const answers = await Promise.all(codes.map(redeem));
    bursts.push({
      seconds: (performance.now() - started) / 1000,
      latencies: answers.map((a) => a.ms).sort((a, b) => a - b),
    });
    for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
  }
  bursts.sort((a, b) => a.seconds - b.seconds);
  const median = bursts[Math.floor(bursts.length / 2)] as (typeof bursts)[number];
  const at = (q: number) =>
    Math.round(
      median.latencies[Math.min(median.latencies.length - 1, Math.floor(q * median.latencies.length))] ?? 0,
    );
  const total = count * runs;
  const created = statuses.get(201) ?? 0;
  const ok = created === total && (await verify(base, adminKey, tenant));
  if (!ok) console.error(`burst ${label}: ${JSON.stringify(Object.fromEntries(statuses))}`);
  const others = [...statuses].filter(([s]) => s !== 201).map(([s, n]) => `${n}×${s}`);
  const range = `median ${median.seconds.toFixed(2)} s of ${runs} (${bursts.map((b) => b.seconds.toFixed(2)).join(', ')} s)`;
  return {
    what: `POST …/vouchers/{code}/redemptions, ${label}: ${count} at once over ${count} vouchers`,
    requests: count,
    rps: count / median.seconds,
    p50: at(0.5),
    p99: at(0.99),
    non2xx: total - created,
    check: ok
      ? `all ${total} answered 201, ${range}; chain and balances verify, sum 0`
      : `FAILED: ${created}×201${others.length ? `, ${others.join(', ')}` : ''}, ${range}`,
  };
}

/** `benchRedemptions`' one-tenant row, for a target where only that one is measured. */
export async function benchOneTenantRedemptions(
  base: string,
  adminKey: string,
  count: number,
  label: string,
): Promise<WriteRow> {
  const key = await providerKey(base, adminKey, 'waalre');
  const codes = await issueCodes(base, adminKey, 'waalre', count, `sustained-${label}`);
  const result = await redemptions(base, key, 'waalre', codes);
  const ok = (await verify(base, adminKey, 'waalre')) && result['2xx'] === count;
  return combine(
    `POST …/vouchers/{code}/redemptions, ${label}, 1 tenant, 10 connections`,
    [result],
    ok ? 'every voucher redeemed once; chain and balances verify, sum 0' : 'INVARIANT FAILED',
  );
}
