/**
 * `npm run bench`: autocannon on loopback against the Node entry and against workerd, each route
 * compared with a hello-world Hono route on the same runtime in the same run. Prints a table and
 * writes BENCHMARKS.md.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { ensureLocalFleet } from '../packages/local/src/fleet.ts';
import {
  type BundleSize,
  type ColdStart,
  measureBundle,
  measureColdStart,
  removeBundle,
  wranglerBundle,
} from './bench/bundle.ts';
import { benchCountry, type CountryResult, countrySection } from './bench/country.ts';
import { benchCoverageImport, type ImportRow, importTable } from './bench/coverage-import.ts';
import { type EventRow, eventTable } from './bench/events.ts';
import { measureEvents } from './bench/events-run.ts';
import {
  type KeyVerificationRow,
  measureKeyVerification,
  measureRevocationDelay,
  type RevocationDelay,
} from './bench/keys.ts';
import {
  benchBurst,
  benchIntake,
  benchOneTenantRedemptions,
  benchRedemptions,
  type WriteRow,
} from './bench/writes.ts';

const root = resolve(import.meta.dirname, '..');
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const BENCH_ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const SECTIONS = [
  'reads',
  'node-writes',
  'worker-writes',
  'events',
  'bundle',
  'keys',
  'memory',
  'country',
  'import',
] as const;
type Section = (typeof SECTIONS)[number];
const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
for (const name of only)
  if (!SECTIONS.includes(name as Section)) throw new Error(`BENCH_ONLY: unknown section ${name}`);
const runs = (section: Section) => only.length === 0 || only.includes(section);
const note = process.env.BENCH_NOTE ? `${process.env.BENCH_NOTE} ` : '';

interface Target {
  runtime: string;
  script: string;
}
const TARGETS: Target[] = [
  { runtime: 'Node (@hono/node-server, embedded libSQL)', script: 'scripts/bench/node-target.ts' },
  { runtime: 'workerd (Miniflare, libSQL over Hrana/HTTP)', script: 'scripts/bench/workerd-target.ts' },
];
const ROUTES = [
  { name: 'hello world (baseline)', path: '/hello', base: 'hello' },
  { name: 'hello world with the headers the API Design Rules require', path: '/hello-adr', base: 'hello' },
  { name: 'hello world with the API’s response headers only', path: '/hello-headers', base: 'hello' },
  { name: 'hello world inside the app (all middleware)', path: '/hello-app', base: 'api' },
  {
    name: 'GET /v1/{tenant}/postcodes/{postcode}',
    path: '/v1/groningen/postcodes/9712CP?houseNumber=12',
    base: 'api',
  },
  { name: 'GET /v1/postcodes/{postcode} (national)', path: '/v1/postcodes/3734AB', base: 'api' },
  { name: 'GET /v1/{tenant}/teams', path: '/v1/groningen/teams', base: 'api' },
] as const;

interface Row {
  runtime: string;
  route: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  ratio: number;
  /** Against the hello-world route inside the app, behind the same middleware. */
  inAppRatio: number;
}

async function startTarget(
  script: string,
  dataDir: string,
): Promise<{ child: ChildProcess; urls: Record<string, string> }> {
  const logFile = join(dataDir, `${script.replaceAll('/', '_')}.log`);
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    // Rate limits would turn a load test into a test of the rate limiter.
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PUBLIC_RATE_LIMIT_PER_MINUTE: '1000000',
      KEY_RATE_LIMIT_PER_MINUTE: '1000000',
      PLATFORM_ADMIN_KEY: BENCH_ADMIN_KEY,
      REQUEST_ENCRYPTION_SECRET: 'bench-request-encryption-secret-0123456789',
    },
    // Its log lines go to a file: read through a pipe they would cost this process, which is also
    // the load generator, CPU that the hello-world route (which logs nothing) does not.
    stdio: ['ignore', openSync(logFile, 'w'), 'inherit'],
  });
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  for (;;) {
    const announced = readFileSync(logFile, 'utf8')
      .split('\n')
      .find((line) => line.startsWith('{"api":'));
    if (announced) return { child, urls: JSON.parse(announced) as Record<string, string> };
    if (exited !== null) throw new Error(`${script} exited with ${exited}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** In a fresh process with --expose-gc (scripts/bench/memory.ts). */
function measureNationalIndexMemory(): { indexBytes: number; csvBytes: number } {
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'scripts/bench/memory.ts'], {
    cwd: root,
    encoding: 'utf8',
  });
  return JSON.parse(run.stdout) as { indexBytes: number; csvBytes: number };
}

async function measure(url: string) {
  await autocannon({ url, connections: CONNECTIONS, duration: 2 }); // warm-up: JIT, caches, connections
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
  const bad = result.non2xx + result.errors + result.timeouts;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: bad };
}

const dataDir = mkdtempSync(join(tmpdir(), 'wt-bench-'));
await ensureLocalFleet(dataDir);
const rows: Row[] = [];
let keyRows: KeyVerificationRow[] = [];
let revocation: RevocationDelay | undefined;
let memory: { indexBytes: number; csvBytes: number } | undefined;
let country: CountryResult | undefined;
const writeRows: WriteRow[] = [];
const workerWriteRows: WriteRow[] = [];
let eventRows: EventRow[] = [];
let bundle: BundleSize | undefined;
let importRow: ImportRow | undefined;
let coldStart: ColdStart | undefined;

/** Runs `work` against a target started on a fresh copy of the data, so each sees the seeded state. */
async function onFreshData(script: string, work: (base: string) => Promise<void>) {
  const writeDir = mkdtempSync(join(tmpdir(), 'wt-bench-writes-'));
  await ensureLocalFleet(writeDir);
  const { child, urls } = await startTarget(script, writeDir);
  try {
    await work(urls.api ?? '');
  } finally {
    child.kill('SIGTERM');
    await new Promise((done) => child.once('exit', done));
    rmSync(writeDir, { recursive: true, force: true });
  }
}

try {
  for (const target of runs('reads') ? TARGETS : []) {
    const { child, urls } = await startTarget(target.script, dataDir);
    try {
      const measured = [];
      for (const route of ROUTES)
        measured.push({ route, ...(await measure(`${urls[route.base]}${route.path}`)) });
      const baseline = measured[0]?.rps ?? 1;
      const inAppBaseline = measured.find((m) => m.route.path === '/hello-app')?.rps ?? 1;
      for (const m of measured) {
        rows.push({
          runtime: target.runtime,
          route: m.route.name,
          rps: m.rps,
          p50: m.p50,
          p99: m.p99,
          errors: m.errors,
          ratio: m.rps / baseline,
          inAppRatio: m.rps / inAppBaseline,
        });
      }
    } finally {
      child.kill('SIGTERM');
    }
  }
  if (runs('node-writes')) {
    await onFreshData('scripts/bench/node-target.ts', async (base) => {
      writeRows.push(await benchIntake(base, BENCH_ADMIN_KEY, Number(process.env.BENCH_INTAKE ?? 2_000)));
      writeRows.push(
        ...(await benchRedemptions(base, BENCH_ADMIN_KEY, Number(process.env.BENCH_REDEMPTIONS ?? 5_000))),
      );
    });
  }
  if (runs('worker-writes')) {
    const burst = Number(process.env.BENCH_BURST ?? 200);
    const burstRuns = Number(process.env.BENCH_BURST_RUNS ?? 5);
    await onFreshData('scripts/bench/workerd-target.ts', async (base) => {
      workerWriteRows.push(await benchBurst(base, BENCH_ADMIN_KEY, burst, 'workerd', burstRuns));
      workerWriteRows.push(
        await benchOneTenantRedemptions(
          base,
          BENCH_ADMIN_KEY,
          Number(process.env.BENCH_WORKER_REDEMPTIONS ?? 2_000),
          'workerd',
        ),
      );
    });
    await onFreshData('scripts/bench/node-target.ts', async (base) => {
      workerWriteRows.push(await benchBurst(base, BENCH_ADMIN_KEY, burst, 'Node', burstRuns));
    });
  }
  if (runs('events')) eventRows = await measureEvents();
  if (runs('bundle')) {
    const outdir = wranglerBundle(root);
    try {
      bundle = measureBundle(outdir);
      coldStart = await measureColdStart(outdir, dataDir);
    } finally {
      removeBundle(outdir);
    }
  }
  if (runs('keys')) {
    keyRows = await measureKeyVerification(dataDir);
    revocation = await measureRevocationDelay(dataDir);
  }
  if (runs('memory')) memory = measureNationalIndexMemory();
  if (runs('country')) country = await benchCountry();
  if (runs('import')) importRow = await benchCoverageImport();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

const header =
  '| runtime | route | req/s | p50 ms | p99 ms | non-2xx/errors | vs bare hello | vs in-app hello |\n|---|---|---:|---:|---:|---:|---:|---:|';
const table = [
  header,
  ...rows.map(
    (r) =>
      `| ${r.runtime} | ${r.route} | ${Math.round(r.rps).toLocaleString('en')} | ${r.p50} | ${r.p99} | ${r.errors} | ${(r.ratio * 100).toFixed(0)}% | ${(r.inAppRatio * 100).toFixed(0)}% |`,
  ),
].join('\n');
const writesTable = (writes: WriteRow[]) =>
  [
    '| write | requests | req/s | p50 ms | p99 ms | non-2xx | checked afterwards |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...writes.map(
      (r) =>
        `| ${r.what} | ${r.requests.toLocaleString('en')} | ${Math.round(r.rps).toLocaleString('en')} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.check} |`,
    ),
  ].join('\n');
const writeTable = writesTable(writeRows);
const workerWriteTable = writesTable(workerWriteRows);
const keyTable = [
  '| key verification | median µs | p99 µs |',
  '|---|---:|---:|',
  ...keyRows.map((r) => `| ${r.what} | ${r.medianUs.toFixed(1)} | ${r.p99Us.toFixed(1)} |`),
].join('\n');
const revocationText = revocation
  ? `A revoked key was refused ${revocation.sameIsolateMs.toFixed(0)} ms after the revocation by the isolate that revoked it, and ${(revocation.otherIsolateMs / 1000).toFixed(1)} s after it by another isolate that had just verified (and so cached) the key; the bound is the key cache TTL, KEY_CACHE_TTL_MS = ${revocation.ttlMs / 1000} s.`
  : '';
const memoryText = memory
  ? `The national PC4 index (4,053 PC4 areas to 353 municipalities) takes ${(memory.indexBytes / 1024).toFixed(1)} KB of heap per isolate; with the CBS data it is built from (${(memory.csvBytes / 1024).toFixed(0)} KB, part of the bundle) that is ${((memory.indexBytes + memory.csvBytes) / 1024 / 1024).toFixed(2)} MB, within the 2 MB budget.`
  : '';
const importText = importRow ? importTable(importRow) : '';
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const bundleText = bundle
  ? [
      `| Worker bundle (wrangler deploy --dry-run) | raw | gzipped |`,
      '|---|---:|---:|',
      `| workers/api/src/worker.ts, minified | ${kb(bundle.rawBytes)} | ${kb(bundle.gzipBytes)} |`,
      ...bundle.lazyModules.map(
        (m) => `| ${m.name}, beside it, loaded on first use | ${kb(m.rawBytes)} | ${kb(m.gzipBytes)} |`,
      ),
      '',
      `Largest parts (raw, minified): ${bundle.parts.map((p) => `${p.name} ${kb(p.bytes)}`).join(', ')}.`,
    ].join('\n')
  : '';
const coldText = coldStart
  ? `A fresh isolate (a new Miniflare, so a new workerd process, on that bundle) answered its first request ${coldStart.firstAnswerMs.toFixed(0)} ms after it was created; the first request itself took ${coldStart.firstHealthMs.toFixed(0)} ms (\`/health\`), and the first postcode lookup after it ${coldStart.firstLookupMs.toFixed(0)} ms (tenant, coverage index and their database round trips to the local Hrana endpoint). Median of 3.`
  : '';
console.log(
  [
    table,
    writeTable,
    workerWriteTable,
    bundleText,
    coldText,
    keyTable,
    revocationText,
    memoryText,
    importText,
  ]
    .filter((part) => part && !/^\|[^\n]*\n\|[^\n]*$/.test(part))
    .join('\n\n'),
);

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const today = new Date().toISOString().slice(0, 10);

/** The parts of BENCHMARKS.md after the reads, each under its own heading. */
const parts: Partial<Record<Section, { heading: string; body: string }>> = {};
if (runs('node-writes'))
  parts['node-writes'] = {
    heading: 'Writes (Node entry)',
    body: `${writeTable}

Intake: 2,000 help requests per tenant, 4 connections per tenant, five tenants at once; each
request is validated, routed, encrypted (AES-GCM) and audited. Redemptions: vouchers issued first
(100 per batch), then each redeemed once with its own Idempotency-Key, sent with the provider's own
partner key (so key verification, the scope check and its rate limit are included), 10
connections per tenant. A rate is the requests divided by the time from the start to the last
response.`,
  };
if (runs('worker-writes'))
  parts['worker-writes'] = {
    heading: 'Writes through the Worker',
    body: `${workerWriteTable}

The real Worker in workerd (Miniflare), with its Durable Object per tenant (\`TenantLedger\`) owning
that tenant's ledger writes: the object queues them and writes redemptions that arrive together in
one batch, over HTTP to the local Hrana endpoint (as in production to Turso, minus the network).
Each redemption also kicks its tenant's outbox through the Queue (\`OUTBOX_QUEUE\`, bound with its
consumer as in wrangler.toml).
The burst: vouchers of one tenant issued first and one of them redeemed to warm up (the key
verified and cached, the provider looked up and remembered for PROVIDER_CACHE_TTL_MS, the object
running), then every other one redeemed by its own request, all sent at the same moment on their
own connections (node:http: fetch's own CPU for the burst was more than the workerd process's, on
the same cores), with the provider's partner key; the rate is the requests divided by the time to
the last answer, of the median of five such bursts (BENCH_BURST_RUNS), each with vouchers of its
own (all five are listed). The sustained row is 10 connections, one redemption after another on each. The
Node row is the same burst on the Node entry. Before the Durable Object, the same burst through
\`npm start\` answered 83 × 201 and 117 × 503 in about 17 s; with the Durable Object, but a
provider lookup per redemption (an HTTP round trip to the database) and fetch as the client, it
took 1.15 s (173 per second) on a quiet machine.`,
  };
if (runs('events'))
  parts.events = {
    heading: 'The outbox: events to webhooks',
    body: `${eventTable(eventRows)}

A webhook receiver on loopback subscribed to \`request.created\` of one tenant; help requests taken
in through the API. Latency is from the 201 reaching the client to the signed delivery reaching the
receiver: 200 requests one after another, each delivery awaited. Throughput: 1,000 requests, 20 in
flight, deliveries per second from the first request to the last delivery (intake included), and
every event checked delivered exactly once. Node is the self-hosting server with its drain loop;
the Worker runs under \`npm start\` (wrangler dev, behind its dev proxy) with its real Cloudflare
Queue and consumer. Each intake also sends the resident's confirmation through the Notify API
(the local catcher) on the Worker; on Node no Notify key is set, so messages wait.`,
  };
if (runs('bundle')) parts.bundle = { heading: 'Bundle and cold start', body: `${bundleText}\n\n${coldText}` };
if (runs('memory'))
  parts.memory = {
    heading: 'Memory',
    body: `${memoryText} Measured in a fresh process (scripts/bench/memory.ts): 20 indexes built and kept,
heap plus array buffers after forced collections, divided by 20.`,
  };
if (runs('keys'))
  parts.keys = {
    heading: 'API keys',
    body: `${keyTable}

Measured in-process on the real code (\`packages/access\`) against the control database file
(scripts/bench/keys.ts), 5,000 verifications each after a warm-up.

${revocationText}`,
  };
if (country) parts.country = { heading: 'The whole country', body: countrySection(country) };
if (runs('import'))
  parts.import = {
    heading: 'Coverage import through the Worker',
    body: `${importText}

The real Worker in workerd (Miniflare) against the local Hrana endpoint, which takes at most 8 MiB per
request (Turso limits requests too): the rules are staged in chunks of 1,000 (about 525 KB each) and
swapped in by one batch (scripts/bench/coverage-import.ts; \`BENCH_ONLY=import npm run bench\` or
\`npm run bench:import\` runs this row on its own). Before the staging, 50,000 rules went in one
batch, over the endpoint's limit, and the import answered 500.`,
  };
const ORDER: Section[] = [
  'node-writes',
  'worker-writes',
  'events',
  'bundle',
  'memory',
  'keys',
  'import',
  'country',
];
const rendered = (section: Section) => {
  const part = parts[section];
  if (!part) return '';
  const dated = only.length > 0 ? `Measured on ${today} (\`BENCH_ONLY=${only.join(',')}\`). ${note}` : note;
  return `## ${part.heading}\n\n${dated ? `${dated.trim()}\n\n` : ''}${part.body.trimEnd()}\n`;
};

const file = join(root, 'BENCHMARKS.md');
if (only.length === 0) {
  writeFileSync(
    file,
    `# Benchmarks

Written by \`npm run bench\` (scripts/bench.ts) on ${today}. Do not edit by hand.

autocannon on loopback, ${CONNECTIONS} connections, ${DURATION_S} s per route after a 2 s warm-up.
Machine: ${machine}. autocannon runs in the benchmark's process and the server under test in a child
process, on the same cores (the server's log lines go to a file): absolute numbers are lower than
with a dedicated load generator; the ratio to the hello-world route on the same runtime, in the
same run, is the figure to compare.

${table}

- **hello world with the headers the API Design Rules require** is the bare hello world plus
  \`API-Version\` (/core/version-header, checked by the ADR linter) and the transport security
  headers (/core/transport/security-headers: \`Cache-Control\`, \`Content-Security-Policy\`,
  \`Strict-Transport-Security\`, \`X-Content-Type-Options\`, \`X-Frame-Options\`), with the app's
  values: the least any answer of an API that follows those rules carries.
- **hello world with the API’s response headers only** is the bare hello world plus the headers
  every answer of this API carries (request id, \`API-Version\`, \`Cache-Control\` and the security
  headers of the API Design Rules), set the way the app sets them, and nothing else.
- **hello world inside the app** is the same one-line route registered on the app itself, so it
  passes the app's middleware (request id, log line, security headers, CORS, auth, body checks):
  the fixed cost of any request to this API, with nothing of the route's own work.
- **Node**: the self-hosting entry (\`npm run serve\`): the app on \`@hono/node-server\`, tenant
  databases as embedded libSQL files, no HTTP hop. The hello route is mounted in the same server.
- **workerd**: the real Worker bundle in Miniflare; every database query is an HTTP round trip to the
  local Hrana endpoint (as in production to Turso, minus the network). The hello route is a
  hello-world Hono Worker in the same workerd.

${ORDER.map(rendered).join('\n')}`,
  );
} else {
  // Only the parts measured now are replaced (or added); the rest of the file stays as it was.
  let text = readFileSync(file, 'utf8');
  for (const section of ORDER) {
    const part = parts[section];
    if (!part) continue;
    const start = text.indexOf(`\n## ${part.heading}\n`);
    if (start < 0) {
      text = `${text.trimEnd()}\n\n${rendered(section)}`;
      continue;
    }
    const next = text.indexOf('\n## ', start + 1);
    text = `${text.slice(0, start + 1)}${rendered(section)}${next < 0 ? '' : text.slice(next)}`;
  }
  writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}
console.log(`wrote ${file}`);
