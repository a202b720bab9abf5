import type { Client, InStatement } from '@libsql/client';
import { type RequestCategory, requestCategories, tenantDb } from '@wijkteams/db';
import { asc, eq } from 'drizzle-orm';

export interface CategoryDefinition {
  slug: string;
  name: { nl: string; en: string };
  /** Days from receipt within which the request should be resolved. */
  slaDays: number;
  /** A date and time (`preferredAt`) is required. */
  needsSchedule: boolean;
  /** How far ahead `preferredAt` must be. */
  leadTimeHours: number;
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

/** The tenant's active categories, for `GET /v1/{tenant}/categories`. */
export async function listCategories(db: Client): Promise<CategoryDefinition[]> {
  const rows = await tenantDb(db)
    .select()
    .from(requestCategories)
    .where(eq(requestCategories.active, true))
    .orderBy(asc(requestCategories.position), asc(requestCategories.slug));
  return rows.map(presentCategory);
}

export function presentCategory(row: RequestCategory): CategoryDefinition {
  return {
    slug: row.slug,
    name: { nl: row.nameNl, en: row.nameEn },
    slaDays: row.slaDays,
    needsSchedule: row.needsSchedule,
    leadTimeHours: row.leadTimeHours,
  };
}
