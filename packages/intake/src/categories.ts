import type { Client, InStatement } from '@libsql/client';
import { type RequestCategory, requestCategories, tenantDb } from '@wijkteams/db';
import { asc, eq } from 'drizzle-orm';

export interface CategoryDefinition {
  slug: string;
  name: { nl: string; en: string };
  /** Working days from receipt within which the request should be resolved (see `@wijkteams/time`). */
  slaDays: number;
  /** A date and time (`preferredAt`) is required. */
  needsSchedule: boolean;
  /** How far ahead `preferredAt` must be. */
  leadTimeHours: number;
}

/** A category as it is stored and answered: the definition, its place in the list, and whether residents see it. */
export interface Category extends CategoryDefinition {
  position: number;
  active: boolean;
}

/** The help residents ask the neighbourhood teams for, in every launch municipality. */
export function defaultCategories(): CategoryDefinition[] {
  return [
    {
      slug: 'odd-jobs',
      name: { nl: 'Klussen in en om het huis', en: 'Odd jobs in and around the house' },
      slaDays: 10,
      needsSchedule: false,
      leadTimeHours: 0,
    },
    {
      slug: 'gardening',
      name: { nl: 'Tuinonderhoud', en: 'Gardening' },
      slaDays: 14,
      needsSchedule: false,
      leadTimeHours: 0,
    },
    {
      slug: 'errands',
      name: { nl: 'Boodschappen', en: 'Errands' },
      slaDays: 3,
      needsSchedule: false,
      leadTimeHours: 0,
    },
    {
      // Like Alkmaar's Max-mobiel: a ride is booked for a time, at least a day ahead.
      slug: 'transport',
      name: { nl: 'Vervoer', en: 'Transport' },
      slaDays: 2,
      needsSchedule: true,
      leadTimeHours: 24,
    },
    {
      slug: 'company',
      name: { nl: 'Gezelschap en wandelen', en: 'Company and walks' },
      slaDays: 14,
      needsSchedule: false,
      leadTimeHours: 0,
    },
    {
      slug: 'meals',
      name: { nl: 'Maaltijden', en: 'Meals' },
      slaDays: 3,
      needsSchedule: false,
      leadTimeHours: 0,
    },
    {
      slug: 'paperwork',
      name: { nl: 'Administratie en geldzaken', en: 'Paperwork and finances' },
      slaDays: 10,
      needsSchedule: false,
      leadTimeHours: 0,
    },
    {
      slug: 'information',
      name: { nl: 'Informatie en advies', en: 'Information and advice' },
      slaDays: 5,
      needsSchedule: false,
      leadTimeHours: 0,
    },
  ];
}

/**
 * Statements that add the default categories a tenant does not have yet, for a seeding batch of
 * its own; a category the tenant changed is left as it is.
 */
export function categorySeedStatements(categories = defaultCategories()): InStatement[] {
  return categories.map((c, position) => ({
    sql: `INSERT INTO request_categories (slug, name_nl, name_en, sla_days, needs_schedule, lead_time_hours, position)
          VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (slug) DO NOTHING`,
    args: [c.slug, c.name.nl, c.name.en, c.slaDays, c.needsSchedule ? 1 : 0, c.leadTimeHours, position],
  }));
}

/** Seeds the default categories in one write batch; seeding again changes nothing. */
export async function seedCategories(db: Client): Promise<{ added: number }> {
  const results = await db.batch(categorySeedStatements(), 'write');
  return { added: results.reduce((n, r) => n + r.rowsAffected, 0) };
}

/** The tenant's active categories, for `GET /v1/{tenant}/categories`; with the inactive ones for its admin. */
export async function listCategories(
  db: Client,
  options: { includeInactive?: boolean } = {},
): Promise<Category[]> {
  const query = tenantDb(db).select().from(requestCategories);
  const rows = await (options.includeInactive
    ? query
    : query.where(eq(requestCategories.active, true))
  ).orderBy(asc(requestCategories.position), asc(requestCategories.slug));
  return rows.map(presentCategory);
}

export function presentCategory(row: RequestCategory): Category {
  return {
    slug: row.slug,
    name: { nl: row.nameNl, en: row.nameEn },
    slaDays: row.slaDays,
    needsSchedule: row.needsSchedule,
    leadTimeHours: row.leadTimeHours,
    position: row.position,
    active: row.active,
  };
}

export type NewCategory = CategoryDefinition & { position?: number; active?: boolean };
export type CategoryChange = Partial<Omit<Category, 'slug'>>;

/**
 * A category of the tenant's own ("Samen koken"). A slug that exists is a conflict: categories are
 * never renamed or removed, because requests keep the category they were made with.
 */
export async function createCategory(
  db: Client,
  input: NewCategory,
): Promise<{ ok: true; category: Category } | { ok: false; reason: 'exists' }> {
  const position =
    input.position ??
    Number(
      (await db.execute('SELECT coalesce(max(position), -1) + 1 AS next FROM request_categories')).rows[0]
        ?.next ?? 0,
    );
  const [row] = await tenantDb(db)
    .insert(requestCategories)
    .values({
      slug: input.slug,
      nameNl: input.name.nl,
      nameEn: input.name.en,
      slaDays: input.slaDays,
      needsSchedule: input.needsSchedule,
      leadTimeHours: input.leadTimeHours,
      position,
      active: input.active ?? true,
    })
    .onConflictDoNothing()
    .returning();
  return row ? { ok: true, category: presentCategory(row) } : { ok: false, reason: 'exists' };
}

/**
 * Changes a category; `active: false` takes it out of the public list and intake, and requests
 * made with it keep it (their SLA was set when they came in).
 */
export async function updateCategory(
  db: Client,
  slug: string,
  change: CategoryChange,
): Promise<Category | undefined> {
  const { name, ...rest } = change;
  const [row] = await tenantDb(db)
    .update(requestCategories)
    .set({ ...rest, ...(name ? { nameNl: name.nl, nameEn: name.en } : {}) })
    .where(eq(requestCategories.slug, slug))
    .returning();
  return row && presentCategory(row);
}
