import type { InStatement } from '@libsql/client';
import { newId, type OutboxEvent } from '@wijkteams/db';
import { decryptText, encryptText, statusTokenBinding } from '@wijkteams/intake';
import type { EventsContext } from '../context.ts';
import { type Language, type MessageKind, render, templateFor, type Values } from './templates.ts';

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

  const id = newId('ntf');
  const content = render(await templateFor(ctx.db, kind, language, target.channel), values);
  const at = ctx.clock().toISOString();
  return [
    {
      sql: `INSERT OR IGNORE INTO messages (id, event_id, event_type, reference, recipient, channel, language,
              to_ct, content_ct, status, attempts, next_attempt_at, created_at)
            VALUES (?, ?, ?, ?, 'resident', ?, ?, ?, ?, 'pending', 0, ?, ?)`,
      args: [
        id,
        event.id,
        event.type,
        event.reference,
        target.channel,
        language,
        await encryptText(ctx.encryptionKey, target.to, toBinding(id)),
        await encryptText(ctx.encryptionKey, JSON.stringify(content), contentBinding(id)),
        at,
        at,
      ],
    },
  ];
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
