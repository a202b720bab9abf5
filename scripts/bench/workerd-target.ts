/**
 * The real Worker in workerd (Miniflare) against the local Hrana endpoint over TCP, and a hello-world
 * Hono Worker in the same workerd build. Prints the two base URLs as one JSON line.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { Miniflare } from 'miniflare';
import { startHranaServer } from '../../packages/local/src/hrana/server.ts';
import { workerModules } from './modules.ts';

const outdir = mkdtempSync(join(tmpdir(), 'wt-bench-bundle-'));
/** As wrangler.toml's `[alias]`: zod's translations of its messages are left out of the bundle. */
const noZodLocales: Plugin = {
  name: 'no-zod-locales',
  setup(build) {
    const stub = join(import.meta.dirname, '../../workers/api/src/no-zod-locales.ts');
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, () => ({ path: stub }));
  },
};
const bundle = (entry: string, outfile: string) =>
  build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    minify: true,
    external: ['cloudflare:*'],
    plugins: [noZodLocales],
    logLevel: 'warning',
  });

await bundle(join(import.meta.dirname, 'api-worker.ts'), join(outdir, 'api.js'));
await bundle(join(import.meta.dirname, 'hello-worker.ts'), join(outdir, 'hello.js'));

const dataDir = process.env.DATA_DIR ?? '.data';
const hrana = await startHranaServer({ dataDir, port: 0 });
const common = {
  modulesRoot: outdir,
  compatibilityDate: '2026-04-20',
  host: '127.0.0.1',
  port: 0,
} as const;
const api = new Miniflare({
  ...common,
  modules: workerModules(outdir, 'api.js'),
  // As in wrangler.toml: each tenant's ledger writes go to its own Durable Object.
  durableObjects: { TENANT_LEDGER: { className: 'TenantLedger', useSQLite: true } },
  // As in wrangler.toml: a change kicks its tenant's outbox through the Queue, whose consumer sends.
  queueProducers: { OUTBOX_QUEUE: 'wijkteams-outbox' },
  queueConsumers: { 'wijkteams-outbox': { maxBatchSize: 100, maxBatchTimeout: 0 } },
  bindings: {
    CONTROL_DB_URL: `${hrana.url}/control/`,
    LOCAL_LIBSQL_GATEWAY: hrana.url,
    PUBLIC_RATE_LIMIT_PER_MINUTE: process.env.PUBLIC_RATE_LIMIT_PER_MINUTE ?? '120',
    KEY_RATE_LIMIT_PER_MINUTE: process.env.KEY_RATE_LIMIT_PER_MINUTE ?? '600',
    // The write benchmarks issue vouchers and keys as the platform admin.
    ...(process.env.PLATFORM_ADMIN_KEY ? { PLATFORM_ADMIN_KEY: process.env.PLATFORM_ADMIN_KEY } : {}),
    // Providers' contact details are encrypted like requests' (registering one needs the secret).
    ...(process.env.REQUEST_ENCRYPTION_SECRET
      ? { REQUEST_ENCRYPTION_SECRET: process.env.REQUEST_ENCRYPTION_SECRET }
      : {}),
  },
});
const hello = new Miniflare({ ...common, modules: workerModules(outdir, 'hello.js') });
const [apiUrl, helloUrl] = await Promise.all([api.ready, hello.ready]);
process.stdout.write(`${JSON.stringify({ api: apiUrl.origin, hello: helloUrl.origin })}\n`);

process.on('SIGTERM', async () => {
  await Promise.all([api.dispose(), hello.dispose(), hrana.close()]);
  process.exit(0);
});
