/**
 * The whole country in workerd (Miniflare), against the data folder DATA_DIR served over Hrana:
 * 1. the daily maintenance through the Queue: the Cron Trigger sending one message per tenant, and
 *    the consumer working through them, with one tenant whose database never answers among them;
 * 2. two rounds of one lookup per tenant in the same isolate, and that isolate's heap before and
 *    after them, read through workerd's inspector (isolate-heap.ts).
 * Prints one JSON line.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { createNodeClient } from '../../packages/db/src/client/node.ts';
import { mapBounded } from '../../packages/db/src/concurrency.ts';
import { startHranaServer } from '../../packages/local/src/hrana/server.ts';
import { tenantLookups } from './country-lookups.ts';
import { inspectIsolate } from './isolate-heap.ts';
import { workerModules } from './modules.ts';

const root = resolve(import.meta.dirname, '../..');
const dataDir = process.env.DATA_DIR ?? '.data';
const outdir = mkdtempSync(join(tmpdir(), 'wt-bench-country-bundle-'));
await build({
  entryPoints: [join(root, 'workers/api/src/worker.ts')],
  outfile: join(outdir, 'worker.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  conditions: ['workerd', 'worker', 'browser'],
  minify: true,
  external: ['cloudflare:*'],
  logLevel: 'warning',
});

// A database host that accepts connections and never answers: the slow tenant.
const held: Socket[] = [];
const hanging = createServer((socket) => void held.push(socket)).listen(0, '127.0.0.1');
await once(hanging, 'listening');
const hangingPort = (hanging.address() as { port: number }).port;
const control = createNodeClient({ url: 'file:control.db' }, { dataDir });
await control.execute({
  sql: `INSERT OR IGNORE INTO tenants (id, slug, name, municipality_code, database_url, status)
        VALUES ('ten_benchhanging', 'hanging', 'Hanging (bench)', 'GM9999', ?, 'active')`,
  args: [`http://127.0.0.1:${hangingPort}/`],
});
const active = Number(
  (await control.execute("SELECT count(*) AS n FROM tenants WHERE status = 'active'")).rows[0]?.n,
);
control.close();

const hrana = await startHranaServer({ dataDir, port: 0 });

const lines: Record<string, unknown>[] = [];
const QUEUE = 'wijkteams-maintenance';
const mf = new Miniflare({
  modules: workerModules(outdir, 'worker.js'),
  name: 'api',
  modulesRoot: outdir,
  compatibilityDate: '2026-04-20',
  // workerd's own inspector (no proxy), for the isolate's heap below.
  inspectorPort: 0,
  bindings: {
    CONTROL_DB_URL: `${hrana.url}/control/`,
    LOCAL_LIBSQL_GATEWAY: hrana.url,
    REQUEST_ENCRYPTION_SECRET: 'bench-request-encryption-secret-0123456789',
    PUBLIC_RATE_LIMIT_PER_MINUTE: '1000000',
    DB_TIMEOUT_MS: '3000',
  },
  durableObjects: { TENANT_LEDGER: { className: 'TenantLedger', useSQLite: true } },
  // The producer as wrangler.toml declares it; the consumer is driven below.
  queueProducers: { MAINTENANCE_QUEUE: QUEUE },
  // One call per console line of the Worker (workerd's structured logs, not its buffered stdout).
  handleStructuredLogs({ message }: { message: string }) {
    const start = message.indexOf('{');
    try {
      if (start < 0) throw new Error('not a log record');
      lines.push(JSON.parse(message.slice(start)) as Record<string, unknown>);
    } catch {
      process.stderr.write(`${message}\n`);
    }
  },
});
await mf.ready;

// 1. Maintenance through the Queue. The producer is the real Cron Trigger handler. The consumer
// is driven here, batch by batch as Queues delivers them (5 messages, 4 batches at a time), through
// the Worker's own queue() handler: Miniflare's local broker did not reliably deliver the last,
// partial batch or the delayed retries within minutes, which would measure the broker, not the Worker.
const worker = await mf.getWorker();
const produced = performance.now();
await worker.scheduled({ cron: '17 3 * * *', scheduledTime: new Date() });
const enqueueSeconds = (performance.now() - produced) / 1000;
const enqueued = Number(lines.find((l) => l.msg === 'maintenance enqueued')?.tenants ?? 0);

const consumer = worker as unknown as {
  queue(
    queue: string,
    messages: { id: string; timestamp: Date; attempts: number; body: unknown }[],
  ): Promise<{
    explicitAcks: string[];
    retryMessages: { msgId: string }[];
  }>;
};
const ids = (await listTenantIds()).map((id, i) => ({
  id: `msg-${i}`,
  timestamp: new Date(),
  attempts: 1,
  body: { tenantId: id, scheduledTime: Date.now() },
}));
const batches: (typeof ids)[] = [];
for (let i = 0; i < ids.length; i += 5) batches.push(ids.slice(i, i + 5));
const consumed = performance.now();
const outcomes = await mapBounded(batches, 4, (batch) => consumer.queue(QUEUE, batch));
const maintenanceSeconds = (performance.now() - consumed) / 1000;
const acked = outcomes.reduce((n, o) => n + o.explicitAcks.length, 0);
const retried = outcomes.reduce((n, o) => n + o.retryMessages.length, 0);

// 2. Lookups of every tenant in the one isolate, as national traffic would pull them in. The heap
// "before" is after one lookup (code compiled, national data parsed), as for the Node process.
const lookups = await tenantLookups(dataDir);
const statuses: Record<number, number> = {};
const lookUp = async (path: string) => {
  const res = await mf.dispatchFetch(`http://api.example${path}`);
  await res.arrayBuffer();
  statuses[res.status] = (statuses[res.status] ?? 0) + 1;
};
const inspector = await inspectIsolate(mf, 'api');
await lookUp(lookups[0]?.path ?? '/health');
const heapBefore = await inspector.heap();
for (let round = 0; round < 2; round++) for (const { path } of lookups) await lookUp(path);
const heapAfter = await inspector.heap();
inspector.close();

process.stdout.write(
  `${JSON.stringify({ tenants: active, enqueued, enqueueSeconds, maintenanceSeconds, acked, retried, lookups: lookups.length, statuses, heapBefore, heapAfter })}\n`,
);
await mf.dispose();
rmSync(outdir, { recursive: true, force: true });
await hrana.close();
for (const socket of held) socket.destroy();
hanging.close();

async function listTenantIds(): Promise<string[]> {
  const client = createNodeClient({ url: 'file:control.db' }, { dataDir });
  try {
    const { rows } = await client.execute("SELECT id FROM tenants WHERE status = 'active' ORDER BY slug");
    return rows.map((row) => String(row.id));
  } finally {
    client.close();
  }
}
