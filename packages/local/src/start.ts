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
import { printBanner, waitFor200 } from './ready.ts';

const dataDir = resolve(process.env.DATA_DIR ?? '.data');
const port = Number(process.env.PORT ?? 8787);
const started = Date.now();

await ensureLocalFleet(dataDir);
const partnerKeys = await ensureLocalPartnerKeys(dataDir);
const adminKey = process.env.PLATFORM_ADMIN_KEY ?? localSecret(dataDir, 'platform-admin-key', 'wt_admin_');
const requestSecret =
  process.env.REQUEST_ENCRYPTION_SECRET ?? localSecret(dataDir, 'request-encryption-secret', '');
const hrana = await startHranaServer({ dataDir, port: 0 });

const envFile = join(dataDir, 'worker.env');
writeFileSync(
  envFile,
  [
    `CONTROL_DB_URL=${hrana.url}/control/`,
    `LOCAL_LIBSQL_GATEWAY=${hrana.url}`,
    `PLATFORM_ADMIN_KEY=${adminKey}`,
    `REQUEST_ENCRYPTION_SECRET=${requestSecret}`,
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
  await hrana.close();
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
function localSecret(dir: string, name: string, prefix: string): string {
  const file = join(dir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = `${prefix}${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')}`;
  writeFileSync(file, key, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}
