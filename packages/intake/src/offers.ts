import { type Offer, offers, sha256Hex, tenantDb } from '@wijkteams/db';
import { eq } from 'drizzle-orm';
import type { IntakeContext } from './context.ts';
import { decryptText } from './crypto.ts';
import { respondToOffer } from './ladder.ts';
import { getProvider } from './providers.ts';
import { loadRequestById } from './store.ts';

/** What the offer page shows a provider: never the resident's name, address or phone before acceptance. */
export interface OfferView {
  offerId: string;
  reference: string;
  status: Offer['status'];
  expiresAt: string;
  provider: { id: string; name: string; language: 'nl' | 'en' };
  category: { slug: string; name: { nl: string; en: string } };
  /** The PC4 area only. */
  area: string;
  /** For categories that book a time (a ride, say). */
  wantedAt: string | null;
  /** The resident's own words, only where they agreed to share them with the provider who helps. */
  description: string | null;
  team: { name: string; phone: string | null; email: string | null };
}

export interface ResidentContact {
  name: string;
  email: string | null;
  phone: string | null;
  postcode: string;
  houseNumber: number | null;
  houseLetter?: string | null;
  houseNumberAddition?: string | null;
}

export type LinkLookup =
  | { ok: true; view: OfferView }
  /** Used (answered), past its deadline, or no such link: all the same to the page, a 410. */
  | { ok: false; reason: 'gone'; view: OfferView | null };

/** The tenant a link belongs to, from the token itself (`<slug>.<256 random bits>`). */
export function tenantOfToken(token: string): string | undefined {
  const match = /^([a-z][a-z0-9-]{1,39})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return match?.[1];
}

/** Opens an offer link: the offer if it is open and within its deadline, otherwise `gone`. */
export async function openOfferLink(ctx: IntakeContext, token: string): Promise<LinkLookup> {
  if (!tenantOfToken(token)) return { ok: false, reason: 'gone', view: null };
  const offer = await tenantDb(ctx.db)
    .select()
    .from(offers)
    .where(eq(offers.tokenHash, sha256Hex(token)))
    .get();
  if (!offer) return { ok: false, reason: 'gone', view: null };
  const view = await viewOf(ctx, offer);
  if (!view) return { ok: false, reason: 'gone', view: null };
  const open = offer.status === 'open' && offer.expiresAt > ctx.clock().toISOString();
  return open ? { ok: true, view } : { ok: false, reason: 'gone', view };
}

export type LinkAnswer =
  | { ok: true; answer: 'accept' | 'decline'; view: OfferView; contact: ResidentContact | null }
  | { ok: false; reason: 'gone'; view: OfferView | null };

/**
 * Answers an offer through its link, as the provider answering with its own key would: the same
 * step of the request, audit-logged as `provider:<id>` from `offer-link`. A link answers once. After
 * an acceptance the provider gets the contact details the resident gave, to get in touch.
 */
export async function answerOfferLink(
  ctx: IntakeContext,
  token: string,
  answer: 'accept' | 'decline',
  reason?: string,
): Promise<LinkAnswer> {
  const opened = await openOfferLink(ctx, token);
  if (!opened.ok) return opened;
  const { view } = opened;
  const linkCtx = { ...ctx, origin: 'offer-link' };
  const outcome = await respondToOffer(
    linkCtx,
    view.reference,
    view.provider.id,
    answer,
    `provider:${view.provider.id}`,
    'link',
    reason,
  );
  if (!outcome.ok) return { ok: false, reason: 'gone', view };
  if (answer === 'decline') return { ok: true, answer, view, contact: null };
  const request = await loadRequestById(ctx, (await offerRow(ctx, view.offerId))?.requestId ?? '');
  const contact = request?.contactCt
    ? (JSON.parse(
        await decryptText(ctx.encryptionKey, request.contactCt, `${request.id}:contact`),
      ) as ResidentContact)
    : null;
  return { ok: true, answer, view, contact };
}

async function offerRow(ctx: IntakeContext, id: string): Promise<Offer | undefined> {
  return tenantDb(ctx.db).select().from(offers).where(eq(offers.id, id)).get();
}

async function viewOf(ctx: IntakeContext, offer: Offer): Promise<OfferView | undefined> {
  const [request, provider] = await Promise.all([
    loadRequestById(ctx, offer.requestId),
    getProvider(ctx, offer.providerId),
  ]);
  if (!request || !provider) return undefined;
  const facts = await ctx.db.execute({
    sql: `SELECT c.name_nl, c.name_en, t.name, t.phone, t.email FROM request_categories c, teams t WHERE c.slug = ? AND t.id = ?`,
    args: [request.category, request.teamId],
  });
  const row = facts.rows[0];
  return {
    offerId: offer.id,
    reference: request.reference,
    status: offer.status,
    expiresAt: offer.expiresAt,
    provider: { id: provider.id, name: provider.name, language: provider.language },
    category: {
      slug: request.category,
      name: { nl: String(row?.name_nl ?? request.category), en: String(row?.name_en ?? request.category) },
    },
    area: request.pc4,
    wantedAt: request.preferredAt,
    description:
      request.shareWithProvider && request.descriptionCt
        ? await decryptText(ctx.encryptionKey, request.descriptionCt, `${request.id}:description`)
        : null,
    team: {
      name: String(row?.name ?? ''),
      phone: row?.phone === null || row?.phone === undefined ? null : String(row.phone),
      email: row?.email === null || row?.email === undefined ? null : String(row.email),
    },
  };
}
