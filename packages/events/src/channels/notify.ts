import { SignJWT } from 'jose';
import type { Channels, OutgoingMessage, SendResult } from './types.ts';

/**
 * The Notify API (NotifyNL, built on GOV.UK Notify): `POST /v2/notifications/email` and `/sms`
 * with a template and its personalisation, authenticated by a JWT (HS256, `iss` the service id,
 * `iat` now) signed with the API key's secret. Our templates are the tenant's own and rendered
 * here, so the Notify templates are generic ones with `((subject))` and `((body))`; the other
 * personalisation fields are ignored by Notify and let a local catcher file the message.
 */
export interface NotifyConfig {
  /** `name-<service id>-<secret>` as Notify issues it (two UUIDs at the end). */
  apiKey: string;
  baseUrl: string;
  emailTemplateId: string;
  smsTemplateId: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const API_KEY = new RegExp(`^(.+)-(${UUID})-(${UUID})$`, 'i');

export function parseNotifyApiKey(apiKey: string): { serviceId: string; secret: string } {
  const match = API_KEY.exec(apiKey);
  if (!match) throw new Error('A Notify API key ends in two UUIDs: the service id and the secret');
  return { serviceId: match[2] as string, secret: match[3] as string };
}

export function notifyChannels(config: NotifyConfig): Channels {
  const { serviceId, secret } = parseNotifyApiKey(config.apiKey);
  const key = new TextEncoder().encode(secret);
  const doFetch = config.fetch ?? fetch;
  const base = config.baseUrl.replace(/\/+$/, '');

  // Notify takes a token up to 30 s from its `iat`: one signed every 10 s serves every message
  // between. The string is kept, never the promise: in a Worker, no request awaits another's work.
  let token: { value: string; at: number } | undefined;
  const bearer = async () => {
    const now = Date.now();
    if (token && now - token.at <= 10_000) return token.value;
    const value = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(serviceId)
      .setIssuedAt()
      .sign(key);
    token = { value, at: now };
    return value;
  };

  async function send(message: OutgoingMessage): Promise<SendResult> {
    const jwt = await bearer();
    const body =
      message.channel === 'email'
        ? { email_address: message.to, template_id: config.emailTemplateId }
        : { phone_number: message.to, template_id: config.smsTemplateId };
    let response: Response;
    try {
      response = await doFetch(`${base}/v2/notifications/${message.channel}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${jwt}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          ...body,
          reference: `${message.tenant}/${message.id}`,
          personalisation: {
            subject: message.subject ?? '',
            body: message.body,
            event: message.event,
            request_reference: message.reference ?? '',
          },
        }),
        signal: AbortSignal.timeout(config.timeoutMs ?? 10_000),
      });
    } catch (error) {
      return { ok: false, retry: true, error: `Notify unreachable: ${errorName(error)}` };
    }
    if (response.status === 201) {
      const created = (await response.json().catch(() => ({}))) as { id?: unknown };
      return { ok: true, providerMessageId: typeof created.id === 'string' ? created.id : '' };
    }
    const detail = await notifyError(response);
    // Notify: 400 is a message it will never take, 403 a key it does not know; 429 and 5xx pass.
    const retry = response.status === 429 || response.status >= 500;
    const retryAfter = Number(response.headers.get('Retry-After'));
    return {
      ok: false,
      retry,
      error: `Notify ${response.status}: ${detail}`,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    };
  }
  return { email: send, sms: send };
}

async function notifyError(response: Response): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as
    | { errors?: { error?: string; message?: string }[] }
    | undefined;
  const first = body?.errors?.[0];
  return (first ? `${first.error ?? ''} ${first.message ?? ''}`.trim() : response.statusText).slice(0, 200);
}

export const errorName = (error: unknown): string =>
  error instanceof Error ? (error.name === 'Error' ? error.message.slice(0, 100) : error.name) : 'Error';
