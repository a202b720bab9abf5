import { localDatabaseUrl } from '@wijkteams/db';
import { createWebClient } from '@wijkteams/db/web';
import type { Context, MiddlewareHandler } from 'hono';
import { createApp } from './app.ts';
import { EnvSchema } from './env.ts';
import { ApiError } from './errors.ts';
import { eventsConfig } from './events.ts';
import {
  consumeMaintenance,
  enqueueMaintenance,
  MAINTENANCE_QUEUE,
  type MaintenanceMessage,
} from './queues/maintenance.ts';
import { consumeOutbox, OUTBOX_SWEEP_CRON, type OutboxKick, sweepOutboxes } from './queues/outbox.ts';
import { createRuntime, type Databases, type OnDemand, type Runtime } from './runtime.ts';
import { durableObjectLedgerWriter, type TenantLedger } from './tenant-ledger.ts';

export { TenantLedger } from './tenant-ledger.ts';

declare global {
  namespace Cloudflare {
    /** The bindings that are not settings (wrangler.toml); the settings are parsed by EnvSchema. */
    interface Env {
      TENANT_LEDGER: DurableObjectNamespace<TenantLedger>;
      /** The edge-wide count of strangers' lookups (stranger-limits.ts). */
      LOOKUP_LIMITER?: RateLimit;
      OUTBOX_QUEUE?: Queue<OutboxKick>;
      MAINTENANCE_QUEUE: Queue<MaintenanceMessage>;
    }
  }
}
type Bindings = Cloudflare.Env;

/**
 * What few requests need (the voucher sheet, the SEPA file, the tenant migrations), built by `npm run
 * build` into a module of its own (workers/api/build-on-demand.ts) that wrangler uploads beside the
 * bundle (`rules` in wrangler.toml): loaded by the first request that needs it, not by every isolate
 * that starts. A name in a constant, so that neither esbuild nor Vite pulls the module into the bundle.
 */
const ON_DEMAND_MODULE = './on-demand/dist/on-demand.mjs';
const loadOnDemand = () =>
  (import(/* @vite-ignore */ ON_DEMAND_MODULE) as Promise<OnDemand>).catch(() => {
    throw new ApiError('not-configured', 'This is not set up here: the on-demand module was not built');
  });

const runtimes = new WeakMap<object, Runtime>();

/**
 * Configuration and caches live per isolate. Database clients are made per request and closed at
 * its end: a client's connections belong to the request that opened them. Each tenant's ledger
 * writes go to its Durable Object.
 */
function workerRuntime(bindings: Bindings): Runtime {
  let runtime = runtimes.get(bindings);
  if (!runtime) {
    const env = EnvSchema.parse(bindings);
    const queue = bindings.OUTBOX_QUEUE;
    const options = { timeoutMs: env.DB_TIMEOUT_MS, localGateway: env.LOCAL_LIBSQL_GATEWAY };
    const databases: Databases = {
      control: () =>
        createWebClient({ url: env.CONTROL_DB_URL, authToken: env.CONTROL_DB_AUTH_TOKEN }, options),
      tenant: (url) => createWebClient({ url, authToken: env.TENANT_DB_AUTH_TOKEN }, options),
      release: (client) => client.close(),
    };
    runtime = createRuntime(env, {
      databases,
      ledger: durableObjectLedgerWriter(bindings.TENANT_LEDGER),
      // Locally, the Hrana gateway creates a database file on its first use.
      localProvisioner: env.LOCAL_LIBSQL_GATEWAY
        ? { create: async (slug) => localDatabaseUrl(`tenants/${slug}`), open: databases.tenant }
        : undefined,
      openTenantClient: databases.tenant,
      clientIp: env.CLIENT_IP_SOURCE === 'local' ? oneLocalClient : fromCloudflareEdge,
      edgeLookups: bindings.LOOKUP_LIMITER,
      // Workers' own fetch refuses private and loopback destinations; names are not resolved here.
      events: eventsConfig(env),
      onDemand: loadOnDemand,
      kickOutbox: (c, tenant) => {
        if (!queue) return;
        const sent = queue.send({ tenant }).catch(() => {}); // the minute sweep catches what is lost
        try {
          c.executionCtx.waitUntil(sent);
        } catch {
          // app.request() in tests has no execution context; the promise runs on regardless.
        }
      },
    });
    runtimes.set(bindings, runtime);
  }
  return runtime;
}

/** On Cloudflare the edge sets CF-Connecting-IP, replacing whatever the caller sent. */
const fromCloudflareEdge = (c: Context) => c.req.header('CF-Connecting-IP') ?? 'unknown';
/** Under wrangler dev the header is the caller's word (Miniflare fills it only when absent). */
const oneLocalClient = () => 'local';

/**
 * The pages served at a path without their file name. The platform serves asset files by their own
 * name only (`html_handling = "none"` in wrangler.toml): its own page handling would redirect
 * `/docs/` to `/docs`, where every other trailing slash is the API's 404 problem.
 */
const PAGES: Record<string, string> = { '/': '/index.html', '/docs': '/docs/index.html' };

const pages: MiddlewareHandler = async (c, next) => {
  const file = PAGES[c.req.path];
  const assets = (c.env as { ASSETS?: Fetcher }).ASSETS;
  if (!file || !assets) return next();
  const page = await assets.fetch(new URL(file, c.req.url));
  if (!page.ok) return next();
  c.header('Cache-Control', 'public, max-age=300');
  return c.body(await page.arrayBuffer(), 200, {
    'Content-Type': page.headers.get('Content-Type') ?? 'text/html; charset=utf-8',
  });
};

export const app = createApp({ runtime: (c) => workerRuntime(c.env as Bindings), assets: pages });

export default {
  fetch: app.fetch,
  /**
   * Cron Triggers (wrangler.toml): the outbox sweep every minute; daily, retention, timed-out offers
   * and expired vouchers as one Queue message per active tenant (queues/maintenance.ts).
   */
  async scheduled(controller, env, ctx) {
    const runtime = workerRuntime(env);
    if (controller.cron === OUTBOX_SWEEP_CRON) {
      if (env.OUTBOX_QUEUE) ctx.waitUntil(sweepOutboxes(runtime, env.OUTBOX_QUEUE));
      return;
    }
    if (!env.MAINTENANCE_QUEUE) throw new Error('MAINTENANCE_QUEUE is not bound (wrangler.toml)');
    const now = new Date(controller.scheduledTime);
    const sent = await enqueueMaintenance(runtime, env.MAINTENANCE_QUEUE, now);
    console.log(JSON.stringify({ level: 'info', msg: 'maintenance enqueued', tenants: sent }));
  },
  /**
   * Every queue this Worker consumes (wrangler.toml), by name: the maintenance; the outbox, and its
   * dead-letter queue's, which only says what was given up.
   */
  async queue(batch, env, _ctx) {
    const runtime = workerRuntime(env);
    if (batch.queue === MAINTENANCE_QUEUE) return consumeMaintenance(runtime, batch);
    if (batch.queue.endsWith('-dlq')) {
      const tenants = [...new Set(batch.messages.map((m) => (m.body as OutboxKick)?.tenant))];
      console.log(
        JSON.stringify({ level: 'warn', msg: 'outbox kicks dead-lettered; the sweep retries', tenants }),
      );
      batch.ackAll();
      return;
    }
    await consumeOutbox(runtime, batch as MessageBatch<OutboxKick>, env.OUTBOX_QUEUE);
  },
} satisfies ExportedHandler<Bindings>;
