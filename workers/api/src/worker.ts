import { localDatabaseUrl } from '@wijkteams/db';
import { createWebClient } from '@wijkteams/db/web';
import { createApp } from './app.ts';
import { EnvSchema } from './env.ts';
import { eventsConfig } from './events.ts';
import { runMaintenance } from './maintenance.ts';
import { consumeOutbox, OUTBOX_SWEEP_CRON, type OutboxKick, sweepOutboxes } from './queues/outbox.ts';
import type { Runtime } from './runtime.ts';
import { assembleRuntime } from './runtime-parts.ts';

/** The bindings that are not settings: the outbox's Queue (wrangler.toml). */
interface Bindings {
  OUTBOX_QUEUE?: Queue<OutboxKick>;
}

const runtimes = new WeakMap<object, Runtime>();

/** Configuration and caches live per isolate; database clients are made per request. */
function workerRuntime(bindings: object): Runtime {
  let runtime = runtimes.get(bindings);
  if (!runtime) {
    const env = EnvSchema.parse(bindings);
    const queue = (bindings as Bindings).OUTBOX_QUEUE;
    const options = { timeoutMs: env.DB_TIMEOUT_MS, localGateway: env.LOCAL_LIBSQL_GATEWAY };
    const databases = {
      perRequest: true,
      control: () =>
        createWebClient({ url: env.CONTROL_DB_URL, authToken: env.CONTROL_DB_AUTH_TOKEN }, options),
      tenant: (url: string) => createWebClient({ url, authToken: env.TENANT_DB_AUTH_TOKEN }, options),
    };
    runtime = assembleRuntime(env, {
      databases,
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

export const app = createApp({ runtime: (c) => workerRuntime(c.env as object) });

export default {
  fetch: app.fetch,
  /** Cron Triggers (wrangler.toml): the outbox sweep every minute; retention, timed-out offers and expired vouchers daily. */
  async scheduled(controller, env, ctx) {
    const runtime = workerRuntime(env as object);
    const queue = (env as Bindings).OUTBOX_QUEUE;
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
    const runtime = workerRuntime(env as object);
    if (batch.queue.endsWith('-dlq')) {
      const tenants = [...new Set(batch.messages.map((m) => (m.body as OutboxKick)?.tenant))];
      console.log(
        JSON.stringify({ level: 'warn', msg: 'outbox kicks dead-lettered; the sweep retries', tenants }),
      );
      batch.ackAll();
      return;
    }
    await consumeOutbox(runtime, batch as MessageBatch<OutboxKick>, (env as Bindings).OUTBOX_QUEUE);
  },
} satisfies ExportedHandler;
