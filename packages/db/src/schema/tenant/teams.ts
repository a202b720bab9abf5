import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** A team kind is a slug of the tenant's own (`buurtteam`); these come with every tenant database. */
export const LAUNCH_TEAM_KINDS = [
  { slug: 'wij-team', nl: 'WIJ-team', en: 'WIJ team' },
  { slug: 'wijkservicepunt', nl: 'Wijkservicepunt', en: 'Neighbourhood service point' },
  { slug: 'sociaal-team', nl: 'Sociaal team', en: 'Social team' },
  { slug: 'wijkcentrum', nl: 'Wijkcentrum', en: 'Community centre' },
  { slug: 'informatiepunt', nl: 'Informatiepunt', en: 'Information point' },
  { slug: 'doen-team', nl: 'Doen!-team', en: 'Doen! team' },
  { slug: 'woonzorgservice', nl: 'WoonZorgService', en: 'Housing and care service' },
] as const;
export const TEAM_KIND_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The kinds of team a tenant has, with their names; a team's `kind` is one of these slugs. */
export const teamKinds = sqliteTable('team_kinds', {
  slug: text('slug').primaryKey(),
  nameNl: text('name_nl').notNull(),
  nameEn: text('name_en').notNull(),
});

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** Opening hours per weekday as `HH:MM` pairs; a missing day is closed. */
export type OpeningHours = Partial<Record<Weekday, { opens: string; closes: string }[]>>;

export const teams = sqliteTable('teams', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** A `team_kinds` slug. */
  kind: text('kind').notNull(),
  description: text('description'),
  street: text('street'),
  houseNumber: integer('house_number'),
  houseLetter: text('house_letter'),
  houseNumberAddition: text('house_number_addition'),
  /** Canonical (`9712CP`). */
  postcode: text('postcode'),
  city: text('city'),
  phone: text('phone'),
  email: text('email'),
  website: text('website'),
  openingHours: text('opening_hours', { mode: 'json' }).$type<OpeningHours>().notNull().default({}),
  accessibility: text('accessibility'),
  /** Shown to residents while the team is temporarily closed (e.g. a weather alert). */
  closureMessage: text('closure_message'),
  /** Receives requests for postcodes that no coverage rule assigns. */
  isDefaultIntake: integer('is_default_intake', { mode: 'boolean' }).notNull().default(false),
  /** True where address, hours or contact details are example data, not confirmed with the municipality. */
  isExample: integer('is_example', { mode: 'boolean' }).notNull().default(false),
  /** An inactive team is in no list, lookup or routing; its coverage rules stay but do not apply. */
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  updatedAt: text('updated_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
});

export type Team = typeof teams.$inferSelect;
export type NewTeam = typeof teams.$inferInsert;
export type TeamKind = typeof teamKinds.$inferSelect;
