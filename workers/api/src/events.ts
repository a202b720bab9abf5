import { recordAudit } from '@wijkteams/access';
import { controlDb, type Tenant } from '@wijkteams/db';
import { type Channels, type EventsContext, notifyChannels, type UrlPolicy } from '@wijkteams/events';
import type { Settings } from './env.ts';
import type { Log } from './log.ts';
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

/**
 * A subscription the sender disabled (a 410, or five days without a success) is told to the
 * municipality's admin where they look: their own audit log (`GET /v1/{tenant}/audit-events`,
 * `webhook-subscription.disabled.gone` or `….failing`), and the log as a warning.
 */
export async function reportDisabled(
  runtime: Runtime,
  tenant: Tenant,
  disabled: { id: string; reason: 'gone' | 'failing' }[],
  log: Log | undefined,
): Promise<void> {
  if (disabled.length === 0) return;
  const control = runtime.databases.control();
  try {
    for (const { id, reason } of disabled) {
      log?.({
        level: 'warn',
        msg: 'webhook subscription disabled',
        tenant: tenant.slug,
        subscription: id,
        reason,
      });
      await recordAudit(controlDb(control), {
        actor: 'system',
        origin: 'outbox',
        tenantId: tenant.id,
        action: `webhook-subscription.disabled.${reason}`,
        objectType: 'webhook-subscription',
        objectId: id,
        result: 'success',
      });
    }
  } finally {
    runtime.databases.release(control);
  }
}
