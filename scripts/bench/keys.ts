/**
 * What a key verification costs, and how long a revoked key keeps working in another isolate.
 * Runs on the real code (packages/access, the app's runtime) against the real control database.
 */
import { checkApiKey, createApiKey, KeyCache, keyByHash } from '@wijkteams/access';
import { controlDb, sha256Hex, tenants } from '@wijkteams/db';
import { createNodeClient } from '@wijkteams/db/node';
import { eq } from 'drizzle-orm';
import { createApp } from '../../workers/api/src/app.ts';
import { nodeRuntime } from '../../workers/api/src/node-runtime.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)] ?? Number.NaN;

async function time(runs: number, fn: () => unknown): Promise<number[]> {
  for (let i = 0; i < Math.min(200, runs); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push((performance.now() - start) * 1000);
  }
  return samples;
}

export interface KeyVerificationRow {
  what: string;
  medianUs: number;
  p99Us: number;
}

export async function measureKeyVerification(dataDir: string): Promise<KeyVerificationRow[]> {
  const client = createNodeClient({ url: 'file:control.db' }, { dataDir });
  const control = controlDb(client);
  const tenant = await control.select().from(tenants).where(eq(tenants.slug, 'zeist')).get();
  if (!tenant) throw new Error('no zeist tenant');
  const { plaintext } = await createApiKey(control, {
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    name: 'bench',
    kind: 'partner',
    scopes: ['reports:read'],
    createdBy: 'bench',
  });
  const now = new Date();
  const uncached = keyByHash(control);
  const cached = new KeyCache(60_000, 5_000).lookup(uncached);
  const rows = [
    { what: 'SHA-256 of the key alone', samples: await time(5_000, () => sha256Hex(plaintext)) },
    {
      what: 'verification, uncached (SHA-256 + indexed lookup in the control DB)',
      samples: await time(5_000, () => checkApiKey(uncached, plaintext, now)),
    },
    {
      what: 'verification, cached in the isolate',
      samples: await time(5_000, () => checkApiKey(cached, plaintext, now)),
    },
  ];
  client.close();
  return rows.map((r) => ({ what: r.what, medianUs: median(r.samples), p99Us: p99(r.samples) }));
}

export interface RevocationDelay {
  ttlMs: number;
  sameIsolateMs: number;
  otherIsolateMs: number;
}

/**
 * Two runtimes on the same control database stand for two isolates. Both verify a key (so both
 * cache it), one revokes it, and each is asked until it refuses the key.
 */
export async function measureRevocationDelay(dataDir: string, ttlMs = 30_000): Promise<RevocationDelay> {
  const adminKey = 'bench-admin-key-0123456789abcdef';
  const database = { dataDir, control: { url: 'file:control.db' }, tenantAuthToken: undefined };
  const env = {
    PLATFORM_ADMIN_KEY: adminKey,
    KEY_CACHE_TTL_MS: String(ttlMs),
    KEY_RATE_LIMIT_PER_MINUTE: '1000000',
  };
  const [a, b] = [nodeRuntime(database, env), nodeRuntime(database, env)].map((runtime) =>
    // Its request log lines would bury the benchmark's table in the output.
    createApp({ runtime: () => runtime, log: () => {} }),
  );
  if (!a || !b) throw new Error('unreachable');
  const created = await a.request('/v1/zeist/api-keys', {
    method: 'POST',
    body: JSON.stringify({ name: 'revocation bench', scopes: ['tenant:admin'] }),
    headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
  });
  const { id, key } = (await created.json()) as { id: string; key: string };
  const probe = (app: typeof a) =>
    app.request('/v1/zeist/api-keys', { headers: { Authorization: `Bearer ${key}` } });
  if ((await probe(a)).status !== 200 || (await probe(b)).status !== 200) throw new Error('key not accepted');

  const revokedAt = performance.now();
  await a.request(`/v1/zeist/api-keys/${id}`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${adminKey}` },
  });
  const until = async (app: typeof a) => {
    while ((await probe(app)).status !== 401) await new Promise((r) => setTimeout(r, 100));
    return performance.now() - revokedAt;
  };
  const sameIsolateMs = await until(a);
  const otherIsolateMs = await until(b);
  return { ttlMs, sameIsolateMs, otherIsolateMs };
}
