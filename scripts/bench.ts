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
  type KeyVerificationRow,
  measureKeyVerification,
  measureRevocationDelay,
  type RevocationDelay,
} from './bench/keys.ts';
import { benchIntake, benchRedemptions, type WriteRow } from './bench/writes.ts';

const root = resolve(import.meta.dirname, '..');
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const BENCH_ADMIN_KEY = 'bench-admin-key-0123456789abcdef';

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
const writeRows: WriteRow[] = [];
try {
  for (const target of TARGETS) {
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
  // Writes on a fresh copy of the data, so the read benchmarks above saw the seeded state only.
  const writeDir = mkdtempSync(join(tmpdir(), 'wt-bench-writes-'));
  await ensureLocalFleet(writeDir);
  const { child, urls } = await startTarget('scripts/bench/node-target.ts', writeDir);
  try {
    const base = urls.api ?? '';
    writeRows.push(await benchIntake(base, BENCH_ADMIN_KEY, Number(process.env.BENCH_INTAKE ?? 2_000)));
    writeRows.push(
      ...(await benchRedemptions(base, BENCH_ADMIN_KEY, Number(process.env.BENCH_REDEMPTIONS ?? 5_000))),
    );
  } finally {
    child.kill('SIGTERM');
    rmSync(writeDir, { recursive: true, force: true });
  }
  keyRows = await measureKeyVerification(dataDir);
  memory = measureNationalIndexMemory();
  revocation = await measureRevocationDelay(dataDir);
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
const writeTable = [
  '| write | requests | req/s | p50 ms | p99 ms | non-2xx | checked afterwards |',
  '|---|---:|---:|---:|---:|---:|---|',
  ...writeRows.map(
    (r) =>
      `| ${r.what} | ${r.requests.toLocaleString('en')} | ${Math.round(r.rps).toLocaleString('en')} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.check} |`,
  ),
].join('\n');
const keyTable = [
  '| key verification | median µs | p99 µs |',
  '|---|---:|---:|',
  ...keyRows.map((r) => `| ${r.what} | ${r.medianUs.toFixed(1)} | ${r.p99Us.toFixed(1)} |`),
].join('\n');
const revocationText = revocation
  ? `A revoked key was refused ${revocation.sameIsolateMs.toFixed(0)} ms after the revocation by the isolate that revoked it, and ${(revocation.otherIsolateMs / 1000).toFixed(1)} s after it by another isolate that had just verified (and so cached) the key; the bound is the key cache TTL, KEY_CACHE_TTL_MS = ${revocation.ttlMs / 1000} s.`
  : '';
const memoryText = memory
  ? `The national PC4 index (4,053 PC4 areas to 353 municipalities) takes ${(memory.indexBytes / 1024).toFixed(1)} KB of heap per isolate; with the CBS CSV text it is built from (${(memory.csvBytes / 1024).toFixed(0)} KB, part of the bundle) that is ${((memory.indexBytes + memory.csvBytes) / 1024 / 1024).toFixed(2)} MB, within the 2 MB budget.`
  : '';
console.log(`\n${table}\n\n${writeTable}\n\n${keyTable}\n\n${revocationText}\n\n${memoryText}\n`);

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
writeFileSync(
  join(root, 'BENCHMARKS.md'),
  `# Benchmarks

Written by \`npm run bench\` (scripts/bench.ts) on ${new Date().toISOString().slice(0, 10)}. Do not edit by hand.

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

## Writes (Node entry)

${writeTable}

Intake: 2,000 help requests per tenant, 4 connections per tenant, five tenants at once; each
request is validated, routed, encrypted (AES-GCM) and audited. Redemptions: vouchers issued first
(100 per batch), then each redeemed once with its own Idempotency-Key, sent with the provider's own
partner key (so key verification, the scope check and its rate limit are included), 10
connections per tenant. A rate is the requests divided by the time from the start to the last
response.

## Memory

${memoryText} Measured in a fresh process (scripts/bench/memory.ts): 20 indexes built and kept,
heap plus array buffers after forced collections, divided by 20.

## API keys

${keyTable}

Measured in-process on the real code (\`packages/access\`) against the control database file
(scripts/bench/keys.ts), 5,000 verifications each after a warm-up.

${revocationText}
`,
);
console.log('wrote BENCHMARKS.md');
