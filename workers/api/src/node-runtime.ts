import { lookup } from 'node:dns/promises';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Client } from '@libsql/client';
import { createNodeClient, type NodeDatabaseSettings, tuneEmbedded } from '@wijkteams/db/node';
import { smtpChannels } from '@wijkteams/events/smtp';
import { localProvisioner } from '@wijkteams/tenants/local';
import type { Context } from 'hono';
import { NodeSettingsSchema } from './env.ts';
import { eventsConfig } from './events.ts';
import { inProcessLedgerWriter } from './ledger-writer.ts';
import { createRuntime, type Databases, type Runtime } from './runtime.ts';

/**
 * The runtime of the self-hosted Node server: embedded libSQL files with no HTTP hop, one client per
 * database for the life of the process (nothing ties a connection to one request on Node), and the
 * process as the owner of every tenant's ledger writes.
 */
export function nodeRuntime(
  database: NodeDatabaseSettings,
  env: Record<string, string | undefined> = {},
): Runtime & { outbox: { kick: (tenant: string) => void } } {
  const settings = NodeSettingsSchema.parse(env);
  // The drain loop (OutboxDrain) takes this over when the server starts it; until then kicks are dropped.
  const outbox = { kick: (_tenant: string) => {} };
  // Self-hosting may send e-mail over SMTP where there is no Notify account.
  const smtp =
    !settings.NOTIFY_API_KEY && env.SMTP_URL
      ? smtpChannels({ url: env.SMTP_URL, from: env.SMTP_FROM ?? 'wijkteam@localhost' })
      : undefined;
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
  const databases: Databases = {
    control: () => open(database.control.url, database.control.authToken),
    tenant: (url) => open(url, database.tenantAuthToken),
    release: () => {}, // kept for the next request
  };
  const runtime = createRuntime(settings, {
    databases,
    ledger: inProcessLedgerWriter(databases.tenant),
    localProvisioner: localProvisioner(database.dataDir),
    openTenantClient: (url) =>
      createNodeClient({ url, authToken: database.tenantAuthToken }, { dataDir: database.dataDir }),
    clientIp: settings.TRUSTED_PROXY_HEADER ? fromProxyHeader(settings.TRUSTED_PROXY_HEADER) : fromSocket,
    events: eventsConfig(settings, {
      resolveHost: async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address),
      ...(smtp ? { channels: smtp } : {}),
    }),
    kickOutbox: (_c, tenant) => outbox.kick(tenant),
    onDemand: () => import('./on-demand/index.ts'),
  });
  return Object.assign(runtime, { outbox });
}

/** The peer of the TCP connection: what a caller cannot forge. */
function fromSocket(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request() in tests has no socket
  }
}

/**
 * Behind a known reverse proxy: the last value of the header it sets (a proxy appends to what the
 * caller sent, so only the last one is its own). Without the header, the socket's address.
 */
function fromProxyHeader(header: string): (c: Context) => string {
  return (c) => {
    const value = c.req.header(header)?.split(',').at(-1)?.trim();
    return value || fromSocket(c);
  };
}
