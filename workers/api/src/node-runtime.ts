import type { Client } from '@libsql/client';
import { createNodeClient, type NodeDatabaseSettings, tuneEmbedded } from '@wijkteams/db/node';
import type { Runtime } from './runtime.ts';

/**
 * The runtime of the self-hosted Node server: embedded libSQL files with no HTTP hop. Clients are
 * kept for the life of the process; on Node nothing ties a connection to one request.
 */
export function nodeRuntime(
  settings: NodeDatabaseSettings & { platformAdminKey: string | undefined; dbTimeoutMs?: number },
): Runtime {
  const clients = new Map<string, Client>();
  const open = (url: string, authToken: string | undefined) => {
    let client = clients.get(url);
    if (!client) {
      client = createNodeClient(
        { url, authToken },
        { dataDir: settings.dataDir, timeoutMs: settings.dbTimeoutMs ?? 3_000 },
      );
      void tuneEmbedded(client).catch(() => {});
      clients.set(url, client);
    }
    return client;
  };
  return {
    config: { platformAdminKey: settings.platformAdminKey, tenantCacheTtlMs: 30_000 },
    databases: {
      perRequest: false,
      control: () => open(settings.control.url, settings.control.authToken),
      tenant: (url) => open(url, settings.tenantAuthToken),
    },
  };
}
