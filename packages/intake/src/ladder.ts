import type { InStatement } from '@libsql/client';
import {
  type HelpRequest,
  requestCategories,
  requests,
  type TriageProvider,
  tenantDb,
  triageProviderCategories,
  triageProviders,
  triageTiers,
} from '@wijkteams/db';
import { addHours } from '@wijkteams/time';
import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import { ulid } from 'ulid';
import { z } from 'zod';
import type { Actor, IntakeContext } from './context.ts';
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
      name: z.strictObject({ nl: z.string().trim().min(1).max(100), en: z.string().trim().min(1).max(100) }),
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

export interface Provider {
  id: string;
  name: string;
  tier: string;
  categories: string[];
  keyId: string | null;
  active: boolean;
}

export interface ProviderInput {
  name: string;
  tier: string;
  categories: string[];
  keyId?: string;
}

const ProviderSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  tier: z.string().min(1).max(40),
  categories: z.array(z.string().min(1).max(64)).min(1).max(50),
  keyId: z.string().min(1).max(100).optional(),
});

/** Registers who can take requests of these categories at one tier of the ladder. */
export async function registerProvider(
  ctx: IntakeContext,
  input: ProviderInput,
): Promise<{ ok: true; provider: Provider } | InvalidInput> {
  const parsed = ProviderSchema.safeParse(input);
  if (!parsed.success)
    return { ok: false, reason: 'invalid-input', invalidParams: toInvalidParams(parsed.error) };
  const { name, tier, keyId } = parsed.data;
  const categories = [...new Set(parsed.data.categories)];

  const [ladder, known] = await Promise.all([
    getLadder(ctx),
    tenantDb(ctx.db)
      .select({ slug: requestCategories.slug })
      .from(requestCategories)
      .where(inArray(requestCategories.slug, categories)),
  ]);
  const invalidParams = [];
  if (!ladder.some((t) => t.slug === tier))
    invalidParams.push({ name: 'tier', reason: 'Not a tier of the ladder' });
  const knownSlugs = new Set(known.map((k) => k.slug));
  categories.forEach((c, i) => {
    if (!knownSlugs.has(c)) invalidParams.push({ name: `categories.${i}`, reason: 'Unknown category' });
  });
  if (invalidParams.length > 0) return { ok: false, reason: 'invalid-input', invalidParams };

  const id = `prv_${ulid().toLowerCase()}`;
  const statements: InStatement[] = [
    {
      sql: 'INSERT INTO triage_providers (id, name, tier, key_id, created_at) VALUES (?, ?, ?, ?, ?)',
      args: [id, name, tier, keyId ?? null, ctx.clock().toISOString()],
    },
    ...categories.map((category) => ({
      sql: 'INSERT INTO triage_provider_categories (provider_id, category) VALUES (?, ?)',
      args: [id, category],
    })),
  ];
  await ctx.db.batch(statements, 'write');
  return { ok: true, provider: { id, name, tier, categories, keyId: keyId ?? null, active: true } };
}

export async function listProviders(
  ctx: IntakeContext,
  filter: { tier?: string; category?: string } = {},
): Promise<Provider[]> {
  const db = tenantDb(ctx.db);
  const [providers, links] = await db.batch([
    db
      .select()
      .from(triageProviders)
      .where(filter.tier ? eq(triageProviders.tier, filter.tier) : undefined)
      .orderBy(asc(triageProviders.id)),
    db.select().from(triageProviderCategories),
  ]);
  const categoriesOf = new Map<string, string[]>();
  for (const link of links)
    categoriesOf.set(link.providerId, [...(categoriesOf.get(link.providerId) ?? []), link.category]);
  return providers
    .map((p) => presentProvider(p, categoriesOf.get(p.id) ?? []))
    .filter((p) => !filter.category || p.categories.includes(filter.category));
}

function presentProvider(row: TriageProvider, categories: string[]): Provider {
  return {
    id: row.id,
    name: row.name,
    tier: row.tier,
    categories: categories.sort(),
    keyId: row.keyId,
    active: row.active,
  };
}

export type OfferOutcome = MoveOutcome | { ok: false; reason: 'provider-not-eligible' };

/** Offers a triaged request to a provider registered for its current tier and category. */
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
    const change: StatusChange = {
      to: 'offered',
      actor,
      at,
      set: { providerId, offeredAt: at.toISOString() },
    };
    if (await applyChange(ctx, request, change)) return { ok: true, request: stateAfter(request, change) };
  }
  return conflict();
}

export type OfferResponseOutcome = MoveOutcome | { ok: false; reason: 'no-open-offer' };

/**
 * The provider's answer to its open offer. A decline moves the request to the next tier of the
 * ladder (`triaged` there), or to `referred` when there is none.
 */
export async function respondToOffer(
  ctx: IntakeContext,
  reference: string,
  providerId: string,
  answer: 'accept' | 'decline',
  actor: Actor = `provider:${providerId}`,
): Promise<OfferResponseOutcome> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const request = await loadRequest(ctx, reference);
    if (!request) return notFound(ctx, reference, actor);
    if (request.status !== 'offered' || request.providerId !== providerId) {
      return { ok: false, reason: 'no-open-offer' };
    }
    const at = ctx.clock();
    const change: StatusChange =
      answer === 'accept'
        ? { to: 'accepted', actor, at }
        : nextTierChange(await getLadder(ctx), request, actor, at, 'declined');
    if (await applyChange(ctx, request, change)) return { ok: true, request: stateAfter(request, change) };
  }
  return conflict();
}

/**
 * Moves every offer older than `offerTtlHours` on to the next tier (or to `referred`), as the
 * provider declining would. Meant for a schedule; running it again finds nothing new to do.
 */
export async function expireOffers(
  ctx: IntakeContext,
  options: { now: Date; offerTtlHours: number },
): Promise<{ expired: RequestState[] }> {
  const cutoff = addHours(options.now, -options.offerTtlHours).toISOString();
  const due = await tenantDb(ctx.db)
    .select()
    .from(requests)
    .where(and(eq(requests.status, 'offered'), lte(requests.offeredAt, cutoff)))
    .orderBy(asc(requests.offeredAt))
    .limit(200);
  if (due.length === 0) return { expired: [] };
  const ladder = await getLadder(ctx);
  const changes = due.map((request) =>
    nextTierChange(ladder, request, 'system', options.now, 'offer-expired'),
  );
  const results = await ctx.db.batch(
    due.flatMap((request, i) => changeStatements(ctx, request, changes[i] as StatusChange)),
    'write',
  );
  // Three statements per request; the first is the guarded update.
  const expired = due.flatMap((request, i) =>
    results[i * 3]?.rowsAffected === 1 ? [stateAfter(request, changes[i] as StatusChange)] : [],
  );
  return { expired };
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
  const row = await tenantDb(ctx.db)
    .select({ id: triageProviders.id })
    .from(triageProviders)
    .innerJoin(triageProviderCategories, eq(triageProviderCategories.providerId, triageProviders.id))
    .where(
      and(
        eq(triageProviders.id, providerId),
        eq(triageProviders.active, true),
        eq(triageProviders.tier, request.tier ?? ''),
        eq(triageProviderCategories.category, request.category),
      ),
    )
    .get();
  return row !== undefined;
}
