import type { InStatement } from '@libsql/client';
import {
  type HelpRequest,
  newId,
  requests,
  sha256Hex,
  tenantDb,
  textLine,
  triageProviderCategories,
  triageProviders,
  triageTiers,
} from '@wijkteams/db';
import { addHours } from '@wijkteams/time';
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Actor, DEFAULT_OFFER_TIMEOUT_HOURS, type IntakeContext } from './context.ts';
import { encryptText, newStatusToken, offerTokenBinding } from './crypto.ts';
import type { InvalidInput, MoveOutcome, RequestState } from './outcomes.ts';
import { conflict, illegal, notFound, stateAfter } from './steps.ts';
import { applyChange, changeStatements, loadRequest, MAX_ATTEMPTS, type StatusChange } from './store.ts';
import { toInvalidParams } from './validation.ts';

export interface TierDefinition {
  slug: string;
  name: { nl: string; en: string };
}

/** Cheapest and closest first: neighbours, then the woonservice, then paid help. */
export const DEFAULT_LADDER: readonly TierDefinition[] = [
  { slug: 'volunteers', name: { nl: 'Vrijwilligers', en: 'Volunteers' } },
  { slug: 'woonservice', name: { nl: 'WoonService', en: 'Housing service' } },
  { slug: 'private-provider', name: { nl: 'Particuliere aanbieder', en: 'Private provider' } },
  { slug: 'company', name: { nl: 'Bedrijf', en: 'Company' } },
];

/** The tenant's ladder in order; the default one where the tenant has not set its own. */
export async function getLadder(ctx: IntakeContext): Promise<TierDefinition[]> {
  const rows = await tenantDb(ctx.db).select().from(triageTiers).orderBy(asc(triageTiers.position));
  if (rows.length === 0) return DEFAULT_LADDER.map((t) => ({ ...t, name: { ...t.name } }));
  return rows.map((r) => ({ slug: r.slug, name: { nl: r.nameNl, en: r.nameEn } }));
}

const TierInput = z
  .array(
    z.strictObject({
      slug: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'Lower-case letters, digits and hyphens'),
      name: z.strictObject({ nl: textLine(100), en: textLine(100) }),
    }),
  )
  .min(1)
  .max(10)
  .refine((tiers) => new Set(tiers.map((t) => t.slug)).size === tiers.length, 'Each tier once');

/**
 * Replaces the tenant's ladder. A request at a tier that is no longer on it is referred when its
 * offer is declined or expires.
 */
export async function setLadder(
  ctx: IntakeContext,
  tiers: TierDefinition[],
): Promise<{ ok: true; ladder: TierDefinition[] } | InvalidInput> {
  const parsed = TierInput.safeParse(tiers);
  if (!parsed.success)
    return { ok: false, reason: 'invalid-input', invalidParams: toInvalidParams(parsed.error) };
  await ctx.db.batch(
    [
      'DELETE FROM triage_tiers',
      ...parsed.data.map((t, position) => ({
        sql: 'INSERT INTO triage_tiers (slug, position, name_nl, name_en) VALUES (?, ?, ?, ?)',
        args: [t.slug, position, t.name.nl, t.name.en],
      })),
    ],
    'write',
  );
  return { ok: true, ladder: parsed.data };
}

export type OfferOutcome = MoveOutcome | { ok: false; reason: 'provider-not-eligible' };

/** An offer link's token: the tenant's slug (so the link finds its database) and 256 random bits. */
export const newOfferToken = (tenantSlug: string) => `${tenantSlug}.${newStatusToken()}`;

/**
 * Offers a triaged request to a provider registered for its current tier, category and area. The
 * offer gets a one-time link (its token kept only as a hash, and encrypted for the provider's
 * message until that is made), valid until the offer times out.
 */
export async function offerRequest(
  ctx: IntakeContext,
  reference: string,
  providerId: string,
  actor: Actor,
): Promise<OfferOutcome> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const request = await loadRequest(ctx, reference);
    if (!request) return notFound(ctx, reference, actor);
    if (request.status !== 'triaged') return illegal(ctx, request, 'offered', actor);
    if (!(await isEligible(ctx, providerId, request))) return { ok: false, reason: 'provider-not-eligible' };
    const at = ctx.clock();
    const token = newOfferToken(ctx.tenant.slug);
    const change: StatusChange = {
      to: 'offered',
      actor,
      at,
      set: { providerId, offeredAt: at.toISOString() },
      offer: {
        id: newId('ofr'),
        providerId,
        tokenHash: sha256Hex(token),
        expiresAt: addHours(at, ctx.offerTimeoutHours ?? DEFAULT_OFFER_TIMEOUT_HOURS).toISOString(),
        tokenCt: await encryptText(ctx.encryptionKey, token, offerTokenBinding(request.id)),
      },
    };
    if (await applyChange(ctx, request, change)) return { ok: true, request: stateAfter(request, change) };
  }
  return conflict();
}

export type OfferResponseOutcome = MoveOutcome | { ok: false; reason: 'no-open-offer' };

/**
 * The provider's answer to its open offer. A decline moves the request to the next tier of the
 * ladder (`triaged` there), or to `referred` when there is none; there it is offered at once to the
 * first provider of that tier who can take it, if any. `via` records how the answer came: `key`
 * (the provider's own API key), `link` (the one-time link), `staff` (on the provider's behalf).
 */
export async function respondToOffer(
  ctx: IntakeContext,
  reference: string,
  providerId: string,
  answer: 'accept' | 'decline',
  actor: Actor = `provider:${providerId}`,
  via = 'key',
  /** Why, in the provider's words (a decline); personal data like a note, so stored encrypted. */
  note?: string,
): Promise<OfferResponseOutcome> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const request = await loadRequest(ctx, reference);
    if (!request) return notFound(ctx, reference, actor);
    if (request.status !== 'offered' || request.providerId !== providerId) {
      return { ok: false, reason: 'no-open-offer' };
    }
    const at = ctx.clock();
    const noteCt = note
      ? await encryptText(ctx.encryptionKey, note.slice(0, 1_000), `${request.id}:note`)
      : null;
    const declined = nextTierChange(await getLadder(ctx), request, actor, at, 'declined');
    const change: StatusChange =
      answer === 'accept'
        ? { to: 'accepted', actor, at, via, event: { noteCt } }
        : { ...declined, via, event: { ...declined.event, noteCt } };
    if (await applyChange(ctx, request, change)) {
      const moved = stateAfter(request, change);
      if (answer === 'decline') return { ok: true, request: (await offerToNext(ctx, moved)) ?? moved };
      return { ok: true, request: moved };
    }
  }
  return conflict();
}

/**
 * After a decline or a timed-out offer: offers the request to the first active provider of its new
 * tier that serves its category and area (oldest registration first). Without one it stays
 * `triaged` there for the team to decide.
 */
async function offerToNext(ctx: IntakeContext, state: RequestState): Promise<RequestState | undefined> {
  if (state.status !== 'triaged') return undefined;
  const request = await loadRequest(ctx, state.reference);
  if (!request) return undefined;
  for (const candidate of await candidates(ctx, request)) {
    const offered = await offerRequest(ctx, state.reference, candidate, 'system');
    if (offered.ok) return offered.request;
  }
  return undefined;
}

/**
 * Moves every offer past its deadline on to the next tier (or to `referred`), as the provider
 * declining would, and offers it there. Meant for a schedule that runs every few minutes: guarded
 * writes make overlapping runs harmless, and running it again finds nothing new to do. Offers from
 * before offers had their own deadline are judged by `offerTtlHours` since they were made.
 */
export async function expireOffers(
  ctx: IntakeContext,
  options: { now: Date; offerTtlHours: number },
): Promise<{ expired: RequestState[] }> {
  const now = options.now.toISOString();
  const cutoff = addHours(options.now, -options.offerTtlHours).toISOString();
  const due = await tenantDb(ctx.db)
    .select()
    .from(requests)
    .where(
      and(
        eq(requests.status, 'offered'),
        sql`(EXISTS (SELECT 1 FROM offers o WHERE o.request_id = ${requests.id} AND o.status = 'open' AND o.expires_at <= ${now})
             OR (NOT EXISTS (SELECT 1 FROM offers o WHERE o.request_id = ${requests.id} AND o.status = 'open')
                 AND ${requests.offeredAt} <= ${cutoff}))`,
      ),
    )
    .orderBy(asc(requests.offeredAt))
    .limit(200);
  if (due.length === 0) return { expired: [] };
  const ladder = await getLadder(ctx);
  const changes = due.map((request) => ({
    ...nextTierChange(ladder, request, 'system', options.now, 'offer-expired'),
    via: 'system',
  }));
  const perRequest = due.map((request, i) => changeStatements(ctx, request, changes[i] as StatusChange));
  const results = await ctx.db.batch(perRequest.flat(), 'write');
  // The first statement of each request's share of the batch is its guarded update.
  const expired: RequestState[] = [];
  let offset = 0;
  for (const [i, request] of due.entries()) {
    if (results[offset]?.rowsAffected === 1) expired.push(stateAfter(request, changes[i] as StatusChange));
    offset += (perRequest[i] as InStatement[]).length;
  }
  // Offered on at the sweep's moment, so that the new offer's deadline runs from then.
  const atSweep = { ...ctx, clock: () => options.now };
  const offeredAgain = [];
  for (const state of expired) offeredAgain.push((await offerToNext(atSweep, state)) ?? state);
  return { expired: offeredAgain };
}

/** The step after a declined or expired offer: the next tier, or `referred` past the last one. */
export function nextTierChange(
  ladder: readonly TierDefinition[],
  request: HelpRequest,
  actor: Actor,
  at: Date,
  reason: 'declined' | 'offer-expired',
): StatusChange {
  const position = ladder.findIndex((t) => t.slug === request.tier);
  const next = position === -1 ? undefined : ladder[position + 1];
  const event = { tier: request.tier, providerId: request.providerId, reason };
  if (!next) {
    return {
      to: 'referred',
      actor,
      at,
      set: { providerId: null, offeredAt: null },
      event: { ...event, reason: `${reason};ladder-exhausted` },
    };
  }
  return { to: 'triaged', actor, at, set: { tier: next.slug, providerId: null, offeredAt: null }, event };
}

async function isEligible(ctx: IntakeContext, providerId: string, request: HelpRequest): Promise<boolean> {
  return (await candidates(ctx, request, providerId)).length > 0;
}

/** Active providers at the request's tier for its category whose area holds its PC4, oldest first. */
async function candidates(ctx: IntakeContext, request: HelpRequest, only?: string): Promise<string[]> {
  const rows = await tenantDb(ctx.db)
    .select({ id: triageProviders.id, area: triageProviders.area })
    .from(triageProviders)
    .innerJoin(triageProviderCategories, eq(triageProviderCategories.providerId, triageProviders.id))
    .where(
      and(
        only ? eq(triageProviders.id, only) : undefined,
        eq(triageProviders.active, true),
        eq(triageProviders.tier, request.tier ?? ''),
        eq(triageProviderCategories.category, request.category),
      ),
    )
    .orderBy(asc(triageProviders.createdAt), asc(triageProviders.id));
  return rows
    .filter((r) => r.area === null || (JSON.parse(r.area) as string[]).includes(request.pc4))
    .map((r) => r.id);
}
