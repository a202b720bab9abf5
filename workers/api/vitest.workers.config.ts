/**
 * The Worker inside workerd (Miniflare), against real libSQL files: every fetch the Worker makes to
 * a database is routed to the local Hrana endpoint running here in Node, and onboarding goes
 * through the production path: the Turso Platform API (a local fake that answers as Turso
 * documents it), then the new database over Hrana at its `libsql://<name>-<org>.turso.test` host.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { ensureLocalFleet, registerUnreachableTenant } from '@wijkteams/local/fleet';
import { createHranaApp } from '@wijkteams/local/hrana';
import { createNotifyCatcher } from '@wijkteams/local/notify';
import { createTursoFake } from '@wijkteams/local/turso-fake';
import { defineConfig } from 'vitest/config';

export const WORKERS_ADMIN_KEY = 'workers-test-admin-key-0123456789';
/** Requests to this host never get an answer: a database that hangs. */
export const HANGING_HOST = 'hanging-database.test';

const dataDir = mkdtempSync(join(tmpdir(), 'wt-workerd-'));
const fleetReady = ensureLocalFleet(dataDir).then(() => registerUnreachableTenant(dataDir));
/**
 * 1 MiB per request here, not the 8 MiB of `npm start`: the staged coverage import is then proven
 * with 5,000 rules (2.6 MB as one batch) instead of the 20,000 that would be needed to pass 8 MiB,
 * which would hold this endpoint, shared by every test file, for seconds.
 */
export const TEST_HRANA_MAX_BODY_BYTES = 1024 * 1024;
const hrana = createHranaApp({ dataDir, maxBodyBytes: TEST_HRANA_MAX_BODY_BYTES });
const TURSO = { organization: 'gemeenten', apiToken: 'turso-platform-token-for-tests' };
const turso = createTursoFake(TURSO);
/** The Notify API as NotifyNL answers it, reached by the Worker at `http://notify.test`. */
export const NOTIFY = {
  apiKey: 'workerd_test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0',
  emailTemplateId: 'f163deaf-2d3f-4ec6-98fc-f23fa511518f',
  smsTemplateId: 'a1f64c5c-3d4b-4cbe-8a3e-0b1d2f3e4a5b',
};
const notify = createNotifyCatcher({ apiKeys: [NOTIFY.apiKey], ...NOTIFY });
/**
 * A partner's webhook receiver at `https://hooks.example.nl`: `/ok` answers 204, `/gone` 410; every
 * request is kept and `GET /_received` lists them (headers and body), for the tests in workerd.
 */
const hooks: { path: string; headers: Record<string, string>; body: string }[] = [];
async function receiveHook(request: Request, url: URL): Promise<Response> {
  if (request.method === 'GET' && url.pathname === '/_received') return Response.json(hooks);
  hooks.push({
    path: url.pathname,
    headers: Object.fromEntries(request.headers),
    body: await request.text(),
  });
  return new Response(null, { status: url.pathname === '/gone' ? 410 : 204 });
}

/** Database names whose first creation fails, to prove that onboarding resumes. */
const failOnce = new Set(['wijkteams-amersfoort']);

/** Requests to the control database, for tests that count them (`GET http://stats.test/`). */
let controlRequests = 0;

/**
 * `lossy.test`: the local Hrana endpoint, except that the next ledger writes (as many as
 * `http://lossy.test/_lose?count=N` says) are carried out and their answers then lost on the way
 * back: a connection that drops after the database has committed. `/_lose` alone says how many are
 * left to lose.
 */
let answersToLose = 0;
async function lossy(request: Request, url: URL): Promise<Response> {
  if (url.pathname === '/_lose') {
    const count = url.searchParams.get('count');
    if (count !== null) answersToLose = Number(count);
    return Response.json({ left: answersToLose });
  }
  const body = await request.clone().text();
  const answer = await hrana.app.fetch(new Request(`http://hrana.test${url.pathname}`, request));
  if (answersToLose > 0 && /"type":"batch"/.test(body) && /INSERT INTO ledger_transfers/.test(body)) {
    answersToLose--;
    throw new Error('Network connection lost (lossy.test)');
  }
  return answer;
}

/** Every host the Worker may call, answered here in Node. */
async function outbound(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.hostname === 'lossy.test') {
    await fleetReady;
    return lossy(request, url);
  }
  if (url.hostname === 'stats.test') return Response.json({ controlRequests });
  if (url.pathname.startsWith('/control/')) controlRequests++;
  if (url.hostname === HANGING_HOST) return new Promise<Response>(() => {});
  if (url.hostname === 'hooks.example.nl') return receiveHook(request, url);
  if (url.hostname === 'notify.test') return notify.app.fetch(request);
  if (url.hostname === 'turso.fake') {
    const name = (await request
      .clone()
      .json()
      .catch(() => ({}))) as { name?: string };
    if (request.method === 'POST' && name.name && failOnce.delete(name.name)) {
      return Response.json({ error: 'service unavailable' }, { status: 503 });
    }
    return turso.app.fetch(request);
  }
  await fleetReady;
  const database = /^([a-z0-9-]+)\.turso\.test$/.exec(url.hostname)?.[1];
  if (database)
    return hrana.app.fetch(new Request(`http://hrana.test/turso/${database}${url.pathname}`, request));
  return hrana.app.fetch(request);
}

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: '../../wrangler.toml' },
      miniflare: {
        bindings: {
          CONTROL_DB_URL: 'http://hrana.test/control/',
          LOCAL_LIBSQL_GATEWAY: 'http://hrana.test',
          PLATFORM_ADMIN_KEY: WORKERS_ADMIN_KEY,
          REQUEST_ENCRYPTION_SECRET: 'workers-test-request-encryption-secret-0123',
          // Production's bound: a shorter one turned round trips slowed by a busy machine into 503s.
          DB_TIMEOUT_MS: '3000',
          TENANT_CACHE_TTL_MS: '30000',
          TURSO_API_URL: 'http://turso.fake',
          TURSO_ORGANIZATION: TURSO.organization,
          TURSO_API_TOKEN: TURSO.apiToken,
          TURSO_GROUP: 'tenants',
          NOTIFY_API_KEY: NOTIFY.apiKey,
          NOTIFY_BASE_URL: 'http://notify.test',
          NOTIFY_EMAIL_TEMPLATE_ID: NOTIFY.emailTemplateId,
          NOTIFY_SMS_TEMPLATE_ID: NOTIFY.smsTemplateId,
          PUBLIC_BASE_URL: 'https://wijkteams.example.nl',
        },
        outboundService: outbound,
      },
    }),
  ],
  test: {
    name: 'workers',
    include: ['test/workers/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
