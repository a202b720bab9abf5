import type { InStatement } from '@libsql/client';
import {
  IbanSchema,
  newId,
  requestCategories,
  type TriageProvider,
  tenantDb,
  textLine,
  triageProviderCategories,
  triageProviders,
} from '@wijkteams/db';
import { parsePostcode } from '@wijkteams/lookup';
import { asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { IntakeContext, InvalidParam } from './context.ts';
import { decryptText, encryptText } from './crypto.ts';
import { getLadder } from './ladder.ts';
import type { InvalidInput } from './outcomes.ts';
import { CONTACT_PHONE_PATTERN } from './submit.ts';
import { toInvalidParams } from './validation.ts';

/**
 * A provider: a volunteer group, a single volunteer, a woonservice project, a private provider or a
 * company. One thing for triage (its tier, categories and area decide which requests it is offered)
 * and for the ledger (its own voucher account, opened when it is registered, under its id).
 */
export interface Provider {
  id: string;
  name: string;
  tier: string;
  categories: string[];
  /** The PC4 areas it serves; null for the whole municipality. */
  area: string[] | null;
  contact: ProviderContact | null;
  /** Where its payouts go (electronic format); null until the municipality has it. */
  iban: string | null;
  language: 'nl' | 'en';
  active: boolean;
  keyId: string | null;
  createdAt: string;
  updatedAt: string | null;
}

export interface ProviderContact {
  email: string | null;
  phone: string | null;
}

const Contact = z
  .strictObject({
    email: z.email().max(254).optional(),
    phone: z.string().trim().regex(CONTACT_PHONE_PATTERN, 'Not a phone number').optional(),
  })
  .refine((c) => c.email !== undefined || c.phone !== undefined, 'Give an e-mail address or a phone number');

const Area = z
  .array(
    z.string().transform((value, ctx) => {
      const parsed = parsePostcode(value);
      if (parsed.ok && parsed.postcode.letters === null) return parsed.postcode.pc4;
      ctx.addIssue({ code: 'custom', message: 'A PC4 area: four digits, like 9712' });
      return z.NEVER;
    }),
  )
  .min(1)
  .max(500)
  .nullable();

const Fields = {
  name: textLine(200),
  tier: z.string().min(1).max(40),
  categories: z.array(z.string().min(1).max(64)).min(1).max(50),
  area: Area,
  contact: Contact,
  iban: IbanSchema,
  language: z.enum(['nl', 'en']),
  keyId: z.string().min(1).max(100),
};

export const NewProviderSchema = z.strictObject({
  ...Fields,
  area: Fields.area.optional(),
  iban: Fields.iban.optional(),
  language: Fields.language.optional(),
  keyId: Fields.keyId.optional(),
});
export type ProviderInput = z.input<typeof NewProviderSchema>;

export const ProviderPatchSchema = z
  .strictObject({
    name: Fields.name.optional(),
    tier: Fields.tier.optional(),
    categories: Fields.categories.optional(),
    area: Fields.area.optional(),
    contact: Fields.contact.optional(),
    iban: Fields.iban.nullable().optional(),
    language: Fields.language.optional(),
    active: z.boolean().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, 'Change at least one field');
export type ProviderPatch = z.input<typeof ProviderPatchSchema>;

const contactBinding = (providerId: string) => `${providerId}:contact`;
/** The IBAN is encrypted like the contact, under its own binding; payouts keep the ciphertext. */
const ibanBinding = (providerId: string) => `${providerId}:iban`;
const encryptIban = (ctx: IntakeContext, providerId: string, iban: string | null | undefined) =>
  iban ? encryptText(ctx.encryptionKey, iban, ibanBinding(providerId)) : Promise.resolve(null);

/** The IBAN of a payout, from the ciphertext the provider had when it was paid. */
export function decryptIban(ctx: Pick<IntakeContext, 'encryptionKey'>, providerId: string, ibanCt: string) {
  return decryptText(ctx.encryptionKey, ibanCt, ibanBinding(providerId));
}

/** A provider that can be paid: its name and its IBAN as stored (encrypted). */
export interface ProviderPayee {
  providerId: string;
  name: string;
  ibanCt: string;
}

/** Every provider's name by its id (nothing decrypted): for reports that name providers. */
export async function providerNames(ctx: Pick<IntakeContext, 'db'>): Promise<Map<string, string>> {
  const rows = await tenantDb(ctx.db)
    .select({ id: triageProviders.id, name: triageProviders.name })
    .from(triageProviders);
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Every provider with an IBAN, active or not (a provider taken out of service is still owed). */
export async function providerPayees(ctx: IntakeContext): Promise<ProviderPayee[]> {
  const { rows } = await ctx.db.execute(
    'SELECT id, name, iban_ct FROM triage_providers WHERE iban_ct IS NOT NULL ORDER BY id',
  );
  return rows.map((row) => ({
    providerId: String(row.id),
    name: String(row.name),
    ibanCt: String(row.iban_ct),
  }));
}

/** Registers a provider with its categories and its own voucher account, in one write batch. */
export async function registerProvider(
  ctx: IntakeContext,
  input: unknown,
): Promise<{ ok: true; provider: Provider } | InvalidInput> {
  const parsed = NewProviderSchema.safeParse(input);
  if (!parsed.success)
    return { ok: false, reason: 'invalid-input', invalidParams: toInvalidParams(parsed.error) };
  const { name, tier, keyId, contact } = parsed.data;
  const categories = [...new Set(parsed.data.categories)];
  const problems = await ladderProblems(ctx, tier, categories);
  if (problems.length > 0) return { ok: false, reason: 'invalid-input', invalidParams: problems };

  const id = newId('prv');
  const at = ctx.clock().toISOString();
  const area = parsed.data.area ? [...new Set(parsed.data.area)].sort() : null;
  const statements: InStatement[] = [
    {
      sql: `INSERT INTO triage_providers (id, name, tier, key_id, contact_ct, iban_ct, language, area, created_at,
              updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      args: [
        id,
        name,
        tier,
        keyId ?? null,
        await encryptText(ctx.encryptionKey, JSON.stringify(normalContact(contact)), contactBinding(id)),
        await encryptIban(ctx, id, parsed.data.iban),
        parsed.data.language ?? 'nl',
        area && JSON.stringify(area),
        at,
        at,
      ],
    },
    ...categoryRows(id, categories),
    // Its account in the voucher ledger, named by its id, as redemptions name it.
    {
      sql: `INSERT OR IGNORE INTO ledger_accounts (id, ledger, kind, reference) VALUES (?, 'vouchers', 'provider', ?)`,
      args: [newId('acc'), id],
    },
  ];
  await ctx.db.batch(statements, 'write');
  return { ok: true, provider: (await getProvider(ctx, id)) as Provider };
}

export type UpdateOutcome =
  | { ok: true; provider: Provider }
  | InvalidInput
  | { ok: false; reason: 'not-found' };

/** Changes a provider; `active: false` takes it out of offers and redemptions (it is never deleted). */
export async function updateProvider(ctx: IntakeContext, id: string, input: unknown): Promise<UpdateOutcome> {
  const existing = await getProvider(ctx, id);
  if (!existing) return { ok: false, reason: 'not-found' };
  const parsed = ProviderPatchSchema.safeParse(input);
  if (!parsed.success)
    return { ok: false, reason: 'invalid-input', invalidParams: toInvalidParams(parsed.error) };
  const patch = parsed.data;
  const categories = patch.categories ? [...new Set(patch.categories)] : undefined;
  const problems = await ladderProblems(ctx, patch.tier ?? existing.tier, categories ?? existing.categories, {
    checkTier: patch.tier !== undefined,
  });
  if (problems.length > 0) return { ok: false, reason: 'invalid-input', invalidParams: problems };

  const sets: string[] = [];
  const args: (string | number | null)[] = [];
  const set = (column: string, value: string | number | null) => {
    sets.push(`${column} = ?`);
    args.push(value);
  };
  if (patch.name !== undefined) set('name', patch.name);
  if (patch.tier !== undefined) set('tier', patch.tier);
  if (patch.language !== undefined) set('language', patch.language);
  if (patch.active !== undefined) set('active', patch.active ? 1 : 0);
  if (patch.area !== undefined) set('area', patch.area && JSON.stringify([...new Set(patch.area)].sort()));
  if (patch.contact !== undefined)
    set(
      'contact_ct',
      await encryptText(ctx.encryptionKey, JSON.stringify(normalContact(patch.contact)), contactBinding(id)),
    );
  if (patch.iban !== undefined) set('iban_ct', await encryptIban(ctx, id, patch.iban));
  set('updated_at', ctx.clock().toISOString());
  await ctx.db.batch(
    [
      { sql: `UPDATE triage_providers SET ${sets.join(', ')} WHERE id = ?`, args: [...args, id] },
      ...(categories
        ? [
            { sql: 'DELETE FROM triage_provider_categories WHERE provider_id = ?', args: [id] },
            ...categoryRows(id, categories),
          ]
        : []),
    ],
    'write',
  );
  return { ok: true, provider: (await getProvider(ctx, id)) as Provider };
}

export async function getProvider(ctx: IntakeContext, id: string): Promise<Provider | undefined> {
  return (await loadProviders(ctx, { id }))[0];
}

export async function listProviders(
  ctx: IntakeContext,
  filter: { tier?: string; category?: string } = {},
): Promise<Provider[]> {
  const all = await loadProviders(ctx, filter.tier ? { tier: filter.tier } : {});
  return all.filter((p) => !filter.category || p.categories.includes(filter.category));
}

async function loadProviders(ctx: IntakeContext, where: { id?: string; tier?: string }): Promise<Provider[]> {
  const db = tenantDb(ctx.db);
  const condition = where.id
    ? eq(triageProviders.id, where.id)
    : where.tier
      ? eq(triageProviders.tier, where.tier)
      : undefined;
  const [rows, links] = await db.batch([
    db.select().from(triageProviders).where(condition).orderBy(asc(triageProviders.id)),
    db
      .select()
      .from(triageProviderCategories)
      .where(where.id ? eq(triageProviderCategories.providerId, where.id) : undefined),
  ]);
  const categoriesOf = new Map<string, string[]>();
  for (const link of links)
    categoriesOf.set(link.providerId, [...(categoriesOf.get(link.providerId) ?? []), link.category]);
  return Promise.all(rows.map(async (row) => present(ctx, row, categoriesOf.get(row.id) ?? [])));
}

async function present(ctx: IntakeContext, row: TriageProvider, categories: string[]): Promise<Provider> {
  return {
    id: row.id,
    name: row.name,
    tier: row.tier,
    categories: categories.sort(),
    area: row.area ? (JSON.parse(row.area) as string[]) : null,
    contact: row.contactCt
      ? (JSON.parse(
          await decryptText(ctx.encryptionKey, row.contactCt, contactBinding(row.id)),
        ) as ProviderContact)
      : null,
    iban: row.ibanCt ? await decryptText(ctx.encryptionKey, row.ibanCt, ibanBinding(row.id)) : null,
    language: row.language === 'en' ? 'en' : 'nl',
    active: row.active,
    keyId: row.keyId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const normalContact = (contact: { email?: string; phone?: string }): ProviderContact => ({
  email: contact.email ?? null,
  phone: contact.phone ?? null,
});

function categoryRows(providerId: string, categories: string[]): InStatement[] {
  return categories.map((category) => ({
    sql: 'INSERT INTO triage_provider_categories (provider_id, category) VALUES (?, ?)',
    args: [providerId, category],
  }));
}

async function ladderProblems(
  ctx: IntakeContext,
  tier: string,
  categories: string[],
  options: { checkTier?: boolean } = {},
): Promise<InvalidParam[]> {
  const [ladder, known] = await Promise.all([
    getLadder(ctx),
    tenantDb(ctx.db)
      .select({ slug: requestCategories.slug })
      .from(requestCategories)
      .where(inArray(requestCategories.slug, categories)),
  ]);
  const problems: InvalidParam[] = [];
  if ((options.checkTier ?? true) && !ladder.some((t) => t.slug === tier))
    problems.push({
      name: 'tier',
      reason: `Not a tier of the ladder: ${ladder.map((t) => t.slug).join(', ')}`,
    });
  const knownSlugs = new Set(known.map((k) => k.slug));
  categories.forEach((c, i) => {
    if (!knownSlugs.has(c)) problems.push({ name: `categories.${i}`, reason: 'Unknown category' });
  });
  return problems;
}

/** Whether a registered, active provider has this id: the only ones that may redeem or be offered work. */
export async function activeProvider(
  ctx: Pick<IntakeContext, 'db'>,
  id: string,
): Promise<{ id: string; name: string; active: boolean } | undefined> {
  const row = await tenantDb(ctx.db)
    .select({ id: triageProviders.id, name: triageProviders.name, active: triageProviders.active })
    .from(triageProviders)
    .where(eq(triageProviders.id, id))
    .get();
  return row;
}
