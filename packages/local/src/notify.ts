/**
 * A local stand-in for the Notify API (NotifyNL / GOV.UK Notify): `POST /v2/notifications/email`
 * and `/sms`, with Notify's JWT authentication and its error shapes, so that the real sending code
 * runs under `npm start` and in tests. Every message it takes is written to
 * `<dataDir>/outbox/<tenant>/<messageId>.json` in the contract's shape and listed at
 * `GET /_catcher/messages` (which the API's `GET /dev/messages` shows).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { jwtVerify } from 'jose';

export interface CaughtMessage {
  id: string;
  channel: 'email' | 'sms';
  to: string;
  subject: string | null;
  body: string;
  event: string | null;
  reference: string | null;
  sentAt: string;
  tenant: string;
  /** Notify's own id for the notification. */
  notificationId: string;
}

export interface NotifyCatcherOptions {
  /** The API keys it accepts (`name-<service id>-<secret>`). */
  apiKeys: string[];
  /** Where `outbox/<tenant>/<messageId>.json` goes; kept in memory only without it. */
  dataDir?: string;
  emailTemplateId: string;
  smsTemplateId: string;
  /** Answer these statuses (in order) before taking messages again: a way to test retries. */
  failNext?: number[];
  port?: number;
}

export interface NotifyCatcher {
  url: string;
  messages(): CaughtMessage[];
  /** The next requests get these statuses (429, 500, …) instead of being taken. */
  failNext(...statuses: number[]): void;
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9]{9,15}$/;
/** Notify refuses a token whose `iat` is more than 30 s from its own clock. */
const CLOCK_SKEW_S = 30;

const notifyError = (status: number, error: string, message: string) =>
  Response.json({ status_code: status, errors: [{ error, message }] }, { status });

/** The catcher as a Hono app, to serve or to call in-process (workerd tests route to it). */
export function createNotifyCatcher(
  options: NotifyCatcherOptions,
): Omit<NotifyCatcher, 'url' | 'close'> & { app: Hono } {
  const services = new Map(
    options.apiKeys.map((key) => {
      const secret = key.slice(-36);
      const serviceId = key.slice(-73, -37);
      return [serviceId, new TextEncoder().encode(secret)] as const;
    }),
  );
  const caught: CaughtMessage[] = [];
  const failures = [...(options.failNext ?? [])];
  const app = new Hono();

  app.post('/v2/notifications/:channel{email|sms}', async (c) => {
    const failure = failures.shift();
    if (failure !== undefined)
      return notifyError(failure, failure === 429 ? 'RateLimitError' : 'Exception', 'Try again later');
    const auth = c.req.header('Authorization') ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    const denied = await authenticate(services, token);
    if (denied) return notifyError(403, 'AuthError', denied);
    const channel = c.req.param('channel') as 'email' | 'sms';
    const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
    if (!body) return notifyError(400, 'BadRequestError', 'Invalid JSON');
    const to = channel === 'email' ? body.email_address : body.phone_number;
    if (typeof to !== 'string' || !(channel === 'email' ? EMAIL : PHONE).test(to.replace(/[\s()-]/g, ''))) {
      return notifyError(
        400,
        'ValidationError',
        `${channel === 'email' ? 'email_address' : 'phone_number'} Not a valid ${channel === 'email' ? 'email address' : 'phone number'}`,
      );
    }
    const templateId = channel === 'email' ? options.emailTemplateId : options.smsTemplateId;
    if (typeof body.template_id !== 'string' || !UUID.test(body.template_id)) {
      return notifyError(400, 'ValidationError', 'template_id is not a valid UUID');
    }
    if (body.template_id !== templateId) return notifyError(400, 'BadRequestError', 'Template not found');
    const personalisation = (body.personalisation ?? {}) as Record<string, unknown>;
    const missing = ['body', ...(channel === 'email' ? ['subject'] : [])].filter(
      (k) => typeof personalisation[k] !== 'string',
    );
    if (missing.length > 0)
      return notifyError(400, 'BadRequestError', `Missing personalisation: ${missing.join(', ')}`);
    const reference = typeof body.reference === 'string' ? body.reference : '';
    const [tenant, messageId] = reference.includes('/') ? reference.split('/', 2) : ['unknown', reference];
    const message: CaughtMessage = {
      id: messageId || crypto.randomUUID(),
      channel,
      to,
      subject: channel === 'email' ? String(personalisation.subject) : null,
      body: String(personalisation.body),
      event: typeof personalisation.event === 'string' ? personalisation.event : null,
      reference:
        typeof personalisation.request_reference === 'string' && personalisation.request_reference
          ? personalisation.request_reference
          : null,
      sentAt: new Date().toISOString(),
      tenant: /^[a-z][a-z0-9-]{1,39}$/.test(tenant ?? '') ? (tenant as string) : 'unknown',
      notificationId: crypto.randomUUID(),
    };
    caught.push(message);
    if (options.dataDir) writeMessage(options.dataDir, message);
    return c.json(
      {
        id: message.notificationId,
        reference,
        content:
          channel === 'email'
            ? { subject: message.subject, body: message.body, from_email: 'noreply@notify.local' }
            : { body: message.body, from_number: 'Gemeente' },
        uri: `${c.req.url.replace(/\/v2\/.*$/, '')}/v2/notifications/${message.notificationId}`,
        template: { id: templateId, version: 1, uri: `/v2/template/${templateId}` },
      },
      201,
    );
  });

  app.get('/_catcher/messages', (c) => {
    const tenant = c.req.query('tenant');
    const all = options.dataDir ? readMessages(options.dataDir) : caught;
    return c.json({ messages: all.filter((m) => !tenant || m.tenant === tenant) });
  });

  return {
    app,
    messages: () => [...caught],
    failNext: (...statuses) => failures.push(...statuses),
  };
}

export async function startNotifyCatcher(options: NotifyCatcherOptions): Promise<NotifyCatcher> {
  const catcher = createNotifyCatcher(options);
  const server = serve({ fetch: catcher.app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    messages: catcher.messages,
    failNext: catcher.failNext,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function authenticate(services: Map<string, Uint8Array>, token: string): Promise<string | undefined> {
  if (!token) return 'Unauthorized: authentication token must be provided';
  const [header] = token.split('.');
  let iss: unknown;
  try {
    iss = JSON.parse(atob((token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))).iss;
  } catch {
    return 'Invalid token: signature, api token not found';
  }
  const secret = typeof iss === 'string' ? services.get(iss) : undefined;
  if (!header || !secret) return 'Invalid token: service not found';
  try {
    const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'] });
    const skew = Math.abs(Math.floor(Date.now() / 1000) - Number(payload.iat));
    if (!Number.isFinite(skew) || skew > CLOCK_SKEW_S)
      return 'Error: Your system clock must be accurate to within 30 seconds';
  } catch {
    return 'Invalid token: signature, api token not found';
  }
  return undefined;
}

function writeMessage(dataDir: string, message: CaughtMessage): void {
  const folder = join(dataDir, 'outbox', message.tenant);
  mkdirSync(folder, { recursive: true });
  const { tenant: _tenant, notificationId: _id, ...file } = message;
  writeFileSync(join(folder, `${message.id}.json`), `${JSON.stringify(file, null, 2)}\n`);
}

function readMessages(dataDir: string): CaughtMessage[] {
  const root = join(dataDir, 'outbox');
  let tenants: string[];
  try {
    tenants = readdirSync(root);
  } catch {
    return [];
  }
  return tenants
    .flatMap((tenant) =>
      readdirSync(join(root, tenant))
        .filter((f) => f.endsWith('.json'))
        .map((f) => ({
          ...(JSON.parse(readFileSync(join(root, tenant, f), 'utf8')) as CaughtMessage),
          tenant,
        })),
    )
    .sort((a, b) => b.sentAt.localeCompare(a.sentAt));
}
