import type { Tenant } from '@wijkteams/db';
import { type Channels, type EventsContext, notifyChannels, type UrlPolicy } from '@wijkteams/events';
import type { Settings } from './env.ts';
import type { Runtime } from './runtime.ts';

/** How this runtime sends what the outbox holds: the same on every platform but for the ways out. */
export interface EventsConfig {
  publicBaseUrl: string;
  channels: Channels;
  urlPolicy: UrlPolicy;
  /** Node: names are resolved before a delivery and refused when private. Workers' fetch refuses those itself. */
  resolveHost?: (host: string) => Promise<string[]>;
  localNotifyUrl: string | undefined;
  leaseMs: number;
}

export function eventsConfig(settings: Settings, overrides: Partial<EventsConfig> = {}): EventsConfig {
  const notify =
    settings.NOTIFY_API_KEY && settings.NOTIFY_EMAIL_TEMPLATE_ID && settings.NOTIFY_SMS_TEMPLATE_ID
      ? notifyChannels({
          apiKey: settings.NOTIFY_API_KEY,
          baseUrl: settings.NOTIFY_BASE_URL,
          emailTemplateId: settings.NOTIFY_EMAIL_TEMPLATE_ID,
          smsTemplateId: settings.NOTIFY_SMS_TEMPLATE_ID,
        })
      : {};
  return {
    publicBaseUrl: settings.PUBLIC_BASE_URL,
    channels: notify,
    urlPolicy: settings.WEBHOOKS_ALLOW_LOOPBACK ? 'allow-loopback' : 'production',
    localNotifyUrl: settings.LOCAL_NOTIFY_URL,
    leaseMs: settings.OUTBOX_LEASE_MS,
    ...overrides,
  };
}

/** The outbox's context for one tenant, with a database client the caller closes where it must. */
export async function eventsContext(
  runtime: Runtime,
  tenant: Tenant,
  db = runtime.databases.tenant(tenant.databaseUrl),
): Promise<EventsContext> {
  const { events } = runtime;
  return {
    db,
    clock: () => new Date(),
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
    encryptionKey: await runtime.requestKey(tenant.id),
    publicBaseUrl: events.publicBaseUrl,
    channels: events.channels,
    urlPolicy: events.urlPolicy,
    leaseMs: events.leaseMs,
    ...(events.resolveHost ? { resolveHost: events.resolveHost } : {}),
  };
}
