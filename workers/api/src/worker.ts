import { localDatabaseUrl } from '@wijkteams/db';
import { createWebClient } from '@wijkteams/db/web';
import type { MiddlewareHandler } from 'hono';
import { createApp } from './app.ts';
import { EnvSchema } from './env.ts';
import { eventsConfig } from './events.ts';
import { runMaintenance } from './maintenance.ts';
import { consumeOutbox, OUTBOX_SWEEP_CRON, type OutboxKick, sweepOutboxes } from './queues/outbox.ts';
import { createRuntime, type Databases, type Runtime } from './runtime.ts';
import { durableObjectLedgerWriter, type TenantLedger } from './tenant-ledger.ts';

export { TenantLedger } from './tenant-ledger.ts';

declare global {
  namespace Cloudflare {
    /** The bindings that are not settings (wrangler.toml); the settings are parsed by EnvSchema. */
    interface Env {
      TENANT_LEDGER: DurableObjectNamespace<TenantLedger>;
      OUTBOX_QUEUE?: Queue<OutboxKick>;
    }
  }
}
type Bindings = Cloudflare.Env;

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
      clientIp: (c) => c.req.header('CF-Connecting-IP') ?? 'unknown',
      // Workers' own fetch refuses private and loopback destinations; names are not resolved here.
      events: eventsConfig(env),
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
  /** Cron Triggers (wrangler.toml): the outbox sweep every minute; retention, timed-out offers and expired vouchers daily. */
  async scheduled(controller, env, ctx) {
    const runtime = workerRuntime(env);
    const queue = env.OUTBOX_QUEUE;
    if (controller.cron === OUTBOX_SWEEP_CRON) {
      if (queue) ctx.waitUntil(sweepOutboxes(runtime, queue));
      return;
    }
    const results = runMaintenance(runtime, new Date(controller.scheduledTime));
    ctx.waitUntil(
      results.then((r) => console.log(JSON.stringify({ level: 'info', msg: 'maintenance', tenants: r }))),
    );
  },
  /** The outbox's Queue consumer, and its dead-letter queue's, which only says what was given up. */
  async queue(batch, env, _ctx) {
    const runtime = workerRuntime(env);
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
