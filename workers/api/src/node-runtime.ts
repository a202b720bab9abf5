import { getConnInfo } from '@hono/node-server/conninfo';
import type { Client } from '@libsql/client';
import { createNodeClient, type NodeDatabaseSettings, tuneEmbedded } from '@wijkteams/db/node';
import { localProvisioner } from '@wijkteams/tenants/local';
import type { Context } from 'hono';
import { type Settings, SettingsSchema } from './env.ts';
import type { Runtime } from './runtime.ts';
import { assembleRuntime } from './runtime-parts.ts';

/**
 * The runtime of the self-hosted Node server: embedded libSQL files with no HTTP hop. Clients are
 * kept for the life of the process; on Node nothing ties a connection to one request.
 */
export function nodeRuntime(
  database: NodeDatabaseSettings,
  env: Record<string, string | undefined> = {},
): Runtime {
  const settings: Settings = SettingsSchema.parse(env);
  const clients = new Map<string, Client>();
  const open = (url: string, authToken: string | undefined) => {
    let client = clients.get(url);
    if (!client) {
      client = createNodeClient(
        { url, authToken },
        { dataDir: database.dataDir, timeoutMs: settings.DB_TIMEOUT_MS },
      );
      void tuneEmbedded(client).catch(() => {});
      clients.set(url, client);
    }
    return client;
  };
  return assembleRuntime(settings, {
    databases: {
      perRequest: false,
      control: () => open(database.control.url, database.control.authToken),
      tenant: (url) => open(url, database.tenantAuthToken),
    },
    localProvisioner: localProvisioner(database.dataDir),
    openTenantClient: (url) =>
      createNodeClient({ url, authToken: database.tenantAuthToken }, { dataDir: database.dataDir }),
    clientIp: (c: Context) => {
      try {
        return getConnInfo(c).remote.address ?? 'unknown';
      } catch {
        return 'unknown'; // app.request() in tests has no socket
      }
    },
  });
}
