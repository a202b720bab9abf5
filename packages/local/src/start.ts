/**
 * `npm start`: the product on one machine, with no account and no network. Prepares the data folder
 * (control database and the five launch municipalities, each in its own libSQL file), serves those
 * files over Hrana (the protocol Turso speaks) and runs the real Worker in `wrangler dev` against them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { ensureLocalFleet, ensureLocalPartnerKeys } from './fleet.ts';
import { startHranaServer } from './hrana/server.ts';
import { startNotifyCatcher } from './notify.ts';
import { printBanner, waitFor200 } from './ready.ts';

const dataDir = resolve(process.env.DATA_DIR ?? '.data');
/** The generic templates the local Notify catcher knows (production: the ids of the tenant's Notify service). */
const LOCAL_EMAIL_TEMPLATE_ID = '4b5c0a3e-6f1d-4a8e-9c2b-7d3e1f0a5b6c';
const LOCAL_SMS_TEMPLATE_ID = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
const PASSED_THROUGH = [
  'KEY_RATE_LIMIT_PER_MINUTE',
  'PUBLIC_RATE_LIMIT_PER_MINUTE',
  'LOOKUP_RATE_LIMIT_PER_MINUTE',
  'AUTH_FAILURE_LIMIT_PER_MINUTE',
  'KEY_CACHE_TTL_MS',
  'TENANT_CACHE_TTL_MS',
  'COVERAGE_RECHECK_MS',
  'OUTBOX_LEASE_MS',
];
const port = Number(process.env.PORT ?? 8787);
const started = Date.now();

await ensureLocalFleet(dataDir);
const partnerKeys = await ensureLocalPartnerKeys(dataDir);
const adminKey = process.env.PLATFORM_ADMIN_KEY ?? localSecret(dataDir, 'platform-admin-key', 'wt_admin_');
const requestSecret =
  process.env.REQUEST_ENCRYPTION_SECRET ?? localSecret(dataDir, 'request-encryption-secret', '');
const hrana = await startHranaServer({ dataDir, port: 0 });
// The Notify API, caught: the Worker's real sending code runs, and every message lands in
// .data/outbox/<tenant>/<messageId>.json and on GET /dev/messages.
const notifyKey = localSecret(
  dataDir,
  'notify-api-key',
  '',
  () => `wijkteams_local-${crypto.randomUUID()}-${crypto.randomUUID()}`,
);
const templates = { emailTemplateId: LOCAL_EMAIL_TEMPLATE_ID, smsTemplateId: LOCAL_SMS_TEMPLATE_ID };
const notify = await startNotifyCatcher({ apiKeys: [notifyKey], dataDir, ...templates });

const envFile = join(dataDir, 'worker.env');
writeFileSync(
  envFile,
  [
    `CONTROL_DB_URL=${hrana.url}/control/`,
    `LOCAL_LIBSQL_GATEWAY=${hrana.url}`,
    `PLATFORM_ADMIN_KEY=${adminKey}`,
    `REQUEST_ENCRYPTION_SECRET=${requestSecret}`,
    `PUBLIC_BASE_URL=http://127.0.0.1:${port}`,
    `NOTIFY_API_KEY=${notifyKey}`,
    `NOTIFY_BASE_URL=${notify.url}`,
    `NOTIFY_EMAIL_TEMPLATE_ID=${templates.emailTemplateId}`,
    `NOTIFY_SMS_TEMPLATE_ID=${templates.smsTemplateId}`,
    `LOCAL_NOTIFY_URL=${notify.url}`,
    // Partner systems on this machine may receive webhooks over http (production: https, public only).
    'WEBHOOKS_ALLOW_LOOPBACK=true',
    // Settings a developer (or the benchmark) sets in the shell reach the Worker too.
    ...PASSED_THROUGH.filter((name) => process.env[name]).map((name) => `${name}=${process.env[name]}`),
    // Miniflare sets CF-Connecting-IP only when the caller did not: here it is the caller's word.
    'CLIENT_IP_SOURCE=local',
  ].join('\n'),
  { mode: 0o600 },
);

const wranglerBin = createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js');
const wrangler: ChildProcess = spawn(
  process.execPath,
  [
    wranglerBin,
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--env-file',
    envFile,
    '--show-interactive-dev-session=false',
    '--log-level',
    'warn',
  ],
  {
    cwd: resolve(import.meta.dirname, '../../..'),
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  },
);

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  if (wrangler.exitCode === null) {
    wrangler.kill('SIGTERM');
    await new Promise((done) => wrangler.once('exit', done));
  }
  await Promise.all([hrana.close(), notify.close()]);
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
wrangler.once('exit', (code) => {
  if (!stopping) {
    console.error(`wrangler dev stopped (exit ${code})`);
    void stop(1);
  }
});

const url = `http://127.0.0.1:${port}`;
try {
  await waitFor200(`${url}/health`, 60_000);
  await printBanner({
    url,
    adminKey,
    adminKeyGenerated: !process.env.PLATFORM_ADMIN_KEY,
    dataDir,
    partnerKeys,
    startedMs: Date.now() - started,
  });
} catch (error) {
  console.error(`npm start: ${error instanceof Error ? error.message : String(error)}`);
  await stop(1);
}

/** A generated secret, kept in the data folder (0600) so that it stays the same across restarts. */
function localSecret(
  dir: string,
  name: string,
  prefix: string,
  make = () => `${prefix}${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')}`,
): string {
  const file = join(dir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = make();
  writeFileSync(file, key, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}
