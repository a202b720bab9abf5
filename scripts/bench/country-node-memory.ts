/**
 * Memory of one Node process that has answered a lookup for every tenant (run with --expose-gc):
 * the app in-process on the data folder DATA_DIR, heap plus array buffers after forced
 * collections, before the lookups and after two rounds of them. Prints one JSON line.
 */
import { nodeDatabaseSettings } from '../../packages/db/src/client/settings.ts';
import { createApp } from '../../workers/api/src/app.ts';
import { nodeRuntime } from '../../workers/api/src/node-runtime.ts';
import { tenantLookups } from './country-lookups.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const settle = async () => {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const { heapUsed, arrayBuffers, rss } = process.memoryUsage();
  return { heap: heapUsed + arrayBuffers, rss };
};

const dataDir = process.env.DATA_DIR ?? '.data';
const runtime = nodeRuntime(nodeDatabaseSettings(process.env), process.env);
const app = createApp({ runtime: () => runtime, log: () => {} });
const lookups = await tenantLookups(dataDir);
const first = lookups[0];
if (!first) throw new Error('no tenants');
await app.request(first.path); // code compiled, national data parsed: not part of the tenants' cost
const before = await settle();
const statuses = new Map<number, number>();
for (let round = 0; round < 2; round++)
  for (const { path } of lookups) {
    const res = await app.request(path);
    await res.arrayBuffer();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  }
const after = await settle();
process.stdout.write(
  `${JSON.stringify({
    tenants: lookups.length,
    statuses: Object.fromEntries(statuses),
    heapBefore: before.heap,
    heapAfter: after.heap,
    rssAfter: after.rss,
    cache: runtime.coverage.usage,
  })}\n`,
);
