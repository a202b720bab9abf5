import { createWebClient } from '@wijkteams/db/web';
import { createApp } from './app.ts';
import { parseEnv } from './env.ts';
import type { Runtime } from './runtime.ts';

const runtimes = new WeakMap<object, Runtime>();

/** Configuration is parsed once per isolate; database clients are made per request. */
function workerRuntime(bindings: object): Runtime {
  let runtime = runtimes.get(bindings);
  if (!runtime) {
    const env = parseEnv(bindings);
    const options = { timeoutMs: env.DB_TIMEOUT_MS, localGateway: env.LOCAL_LIBSQL_GATEWAY };
    runtime = {
      config: { platformAdminKey: env.PLATFORM_ADMIN_KEY, tenantCacheTtlMs: env.TENANT_CACHE_TTL_MS },
      databases: {
        perRequest: true,
        control: () =>
          createWebClient({ url: env.CONTROL_DB_URL, authToken: env.CONTROL_DB_AUTH_TOKEN }, options),
        tenant: (url) => createWebClient({ url, authToken: env.TENANT_DB_AUTH_TOKEN }, options),
      },
    };
    runtimes.set(bindings, runtime);
  }
  return runtime;
}

const app = createApp({ runtime: (c) => workerRuntime(c.env as object) });

export default { fetch: app.fetch } satisfies ExportedHandler;
