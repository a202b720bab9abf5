import type { InStatement } from '@libsql/client';
import { newId, type OutboxEvent } from '@wijkteams/db';
import { decryptText, encryptText, offerTokenBinding, statusTokenBinding } from '@wijkteams/intake';
import type { EventsContext } from '../context.ts';
import {
  type Language,
  type MessageKind,
  render,
  type TemplateView,
  templateFor,
  type Values,
} from './templates.ts';

/** The tenant's wording, read once for a whole dispatch rather than once per message. */
export type ComposeContext = EventsContext & { wording?: Promise<TemplateView[]> };

/** Which message a request's step sends to the resident; other steps send none. */
const KIND_OF_STATUS: Record<string, MessageKind> = {
  accepted: 'request.accepted',
  resolved: 'request.resolved',
  referred: 'request.referred',
};

export const toBinding = (messageId: string) => `${messageId}:to`;
export const contentBinding = (messageId: string) => `${messageId}:content`;

/** A Dutch mobile number (06…, +316…, 00316…): the only kind an SMS can reach. */
export function mobileNumber(phone: string): string | undefined {
  const digits = phone.replace(/[\s().-]/g, '');
  const national = digits.replace(/^(\+31|0031)/, '0');
  return /^06\d{8}$/.test(national) ? `+31${national.slice(1)}` : undefined;
}

interface RequestFacts {
  contactCt: string | null;
  language: string;
  categoryNl: string;
  categoryEn: string;
  teamName: string;
  teamPhone: string | null;
  teamEmail: string | null;
  providerName: string | null;
}

/**
 * The messages an event sends, rendered and encrypted, as statements for the dispatch batch. A
 * resident with an e-mail address gets an e-mail; one with only a mobile number an SMS, which
 * holds the category and the link, never the description. Contact details are decrypted here,
 * to send, and stored again only as ciphertext until the message has gone.
 */
export async function composeMessages(ctx: EventsContext, event: OutboxEvent): Promise<InStatement[]> {
  const providerKind = providerKindOf(event);
  if (providerKind) return composeForProvider(ctx, event, providerKind);
  const kind = kindOf(event);
  if (!kind || !event.requestId) return [];
  const facts = await requestFacts(ctx, event.requestId, event.data);
  if (!facts?.contactCt) return []; // erased or anonymised: nobody to tell
  const contact = JSON.parse(
    await decryptText(ctx.encryptionKey, facts.contactCt, `${event.requestId}:contact`),
  ) as { name: string; email: string | null; phone: string | null };
  const language: Language = facts.language === 'en' ? 'en' : 'nl';
  const values: Values = {
    municipality: ctx.tenant.name,
    reference: event.reference ?? '',
    category: language === 'en' ? facts.categoryEn : facts.categoryNl,
    team: facts.teamName,
    teamPhone: facts.teamPhone ?? '',
    teamEmail: facts.teamEmail ?? '',
    provider: facts.providerName ?? '',
    name: contact.name,
    statusLink: await statusLink(ctx, event),
  };
  const sms = contact.phone ? mobileNumber(contact.phone) : undefined;
  const target = contact.email
    ? { channel: 'email' as const, to: contact.email }
    : sms
      ? { channel: 'sms' as const, to: sms }
      : undefined;
  if (!target) return []; // a landline only: the team phones

  return [await messageRow(ctx, event, 'resident', kind, language, target, values)];
}

/** One message as a statement: rendered, and its address and text encrypted until it has gone. */
async function messageRow(
  ctx: EventsContext,
  event: OutboxEvent,
  recipient: 'resident' | 'provider',
  kind: MessageKind,
  language: Language,
  target: { channel: 'email' | 'sms'; to: string },
  values: Values,
): Promise<InStatement> {
  const id = newId('ntf');
  const wording = (ctx as ComposeContext).wording;
  const own =
    wording &&
    (await wording).find((t) => t.kind === kind && t.language === language && t.channel === target.channel);
  const content = render(own ?? (await templateFor(ctx.db, kind, language, target.channel)), values);
  const at = ctx.clock().toISOString();
  return {
    sql: `INSERT OR IGNORE INTO messages (id, event_id, event_type, reference, recipient, channel, language,
            to_ct, content_ct, status, attempts, next_attempt_at, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
    args: [
      id,
      event.id,
      event.type,
      event.reference,
      recipient,
      target.channel,
      language,
      await encryptText(ctx.encryptionKey, target.to, toBinding(id)),
      await encryptText(ctx.encryptionKey, JSON.stringify(content), contentBinding(id)),
      at,
      at,
    ],
  };
}

function providerKindOf(event: OutboxEvent): MessageKind | undefined {
  if (event.type === 'offer.created') return 'offer.created';
  if (event.type !== 'offer.answered') return undefined;
  return (JSON.parse(event.data) as { answer?: string }).answer === 'expired' ? 'offer.expired' : undefined;
}

/**
 * A provider's messages about an offer, on every channel it gave: the offer with its one-time link
 * and deadline (never the resident's name, address or description), or the word that it is no
 * longer open.
 */
async function composeForProvider(
  ctx: EventsContext,
  event: OutboxEvent,
  kind: MessageKind,
): Promise<InStatement[]> {
  const { providerId } = JSON.parse(event.data) as { providerId?: string };
  if (!providerId || !event.requestId) return [];
  const result = await ctx.db.execute({
    sql: `SELECT p.name, p.contact_ct, p.language, r.pc4, r.preferred_at, c.name_nl, c.name_en,
            t.name AS team_name, t.phone AS team_phone,
            (SELECT expires_at FROM offers WHERE request_id = r.id AND provider_id = p.id ORDER BY created_at DESC LIMIT 1) AS expires_at
          FROM triage_providers p, requests r
          JOIN request_categories c ON c.slug = r.category
          JOIN teams t ON t.id = r.team_id
          WHERE p.id = ? AND r.id = ?`,
    args: [providerId, event.requestId],
  });
  const row = result.rows[0];
  if (!row?.contact_ct) return [];
  const contact = JSON.parse(
    await decryptText(ctx.encryptionKey, String(row.contact_ct), `${providerId}:contact`),
  ) as { email: string | null; phone: string | null };
  const language: Language = row.language === 'en' ? 'en' : 'nl';
  const link =
    kind === 'offer.created' && event.secretCt
      ? `${ctx.publicBaseUrl}/o/${await decryptText(ctx.encryptionKey, event.secretCt, offerTokenBinding(event.requestId))}`
      : '';
  if (kind === 'offer.created' && !link) return []; // dispatched before: the link is gone with it
  const values: Values = {
    municipality: ctx.tenant.name,
    reference: event.reference ?? '',
    provider: String(row.name),
    category: String(language === 'en' ? row.name_en : row.name_nl),
    area: String(row.pc4),
    team: String(row.team_name),
    teamPhone: row.team_phone === null ? '' : String(row.team_phone),
    offerLink: link,
    deadline: row.expires_at ? dutchMoment(String(row.expires_at), language) : '',
    wantedAt: row.preferred_at
      ? ` ${language === 'en' ? 'Wanted on' : 'Gewenst op'} ${dutchMoment(String(row.preferred_at), language)}.`
      : '',
  };
  const sms = contact.phone ? mobileNumber(contact.phone) : undefined;
  const targets = [
    ...(contact.email ? [{ channel: 'email' as const, to: contact.email }] : []),
    ...(sms ? [{ channel: 'sms' as const, to: sms }] : []),
  ];
  return Promise.all(
    targets.map((target) => messageRow(ctx, event, 'provider', kind, language, target, values)),
  );
}

/** A moment as people in the Netherlands read it: `dinsdag 3 maart om 14:00` (Amsterdam time). */
export function dutchMoment(iso: string, language: Language): string {
  const format = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'nl-NL', {
    timeZone: 'Europe/Amsterdam',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  });
  return format.format(new Date(iso));
}

function kindOf(event: OutboxEvent): MessageKind | undefined {
  if (event.type === 'request.created') return 'request.created';
  if (event.type !== 'request.status_changed') return undefined;
  const { status } = JSON.parse(event.data) as { status?: string };
  return status ? KIND_OF_STATUS[status] : undefined;
}

/** The contract's status link, with the token in the fragment so that it never reaches a log. */
async function statusLink(ctx: EventsContext, event: OutboxEvent): Promise<string> {
  const page = `${ctx.publicBaseUrl}/status/${ctx.tenant.slug}/${event.reference}`;
  if (!event.secretCt || !event.requestId) return page;
  const token = await decryptText(ctx.encryptionKey, event.secretCt, statusTokenBinding(event.requestId));
  return `${page}#${token}`;
}

async function requestFacts(
  ctx: EventsContext,
  requestId: string,
  data: string,
): Promise<RequestFacts | undefined> {
  const { providerId } = JSON.parse(data) as { providerId?: string | null };
  const result = await ctx.db.execute({
    sql: `SELECT r.contact_ct, r.language, c.name_nl, c.name_en, t.name AS team_name, t.phone, t.email,
            (SELECT name FROM triage_providers WHERE id = ?) AS provider_name
          FROM requests r
          JOIN request_categories c ON c.slug = r.category
          JOIN teams t ON t.id = r.team_id
          WHERE r.id = ?`,
    args: [providerId ?? null, requestId],
  });
  const row = result.rows[0];
  if (!row) return undefined;
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    contactCt: text(row.contact_ct),
    language: String(row.language),
    categoryNl: String(row.name_nl),
    categoryEn: String(row.name_en),
    teamName: String(row.team_name),
    teamPhone: text(row.phone),
    teamEmail: text(row.email),
    providerName: text(row.provider_name),
  };
}
