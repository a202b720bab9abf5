import { localDatabaseUrl } from '@wijkteams/db';
import { createWebClient } from '@wijkteams/db/web';
import { createApp } from './app.ts';
import { EnvSchema } from './env.ts';
import { runMaintenance } from './maintenance.ts';
import type { Runtime } from './runtime.ts';
import { assembleRuntime } from './runtime-parts.ts';

const runtimes = new WeakMap<object, Runtime>();

/** Configuration and caches live per isolate; database clients are made per request. */
function workerRuntime(bindings: object): Runtime {
  let runtime = runtimes.get(bindings);
  if (!runtime) {
    const env = EnvSchema.parse(bindings);
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
    });
    runtimes.set(bindings, runtime);
  }
  return runtime;
}

export const app = createApp({ runtime: (c) => workerRuntime(c.env as object) });

export default {
  fetch: app.fetch,
  /** Cron Trigger (wrangler.toml): retention, timed-out offers and expired vouchers, every tenant. */
  async scheduled(controller, env, ctx) {
    const results = runMaintenance(workerRuntime(env as object), new Date(controller.scheduledTime));
    ctx.waitUntil(
      results.then((r) => console.log(JSON.stringify({ level: 'info', msg: 'maintenance', tenants: r }))),
    );
  },
} satisfies ExportedHandler;
