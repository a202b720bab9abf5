import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const TEAM_KINDS = [
  'wij-team',
  'wijkservicepunt',
  'sociaal-team',
  'wijkcentrum',
  'informatiepunt',
  'doen-team',
  'woonzorgservice',
] as const;
export type TeamKind = (typeof TEAM_KINDS)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** Opening hours per weekday as `HH:MM` pairs; a missing day is closed. */
export type OpeningHours = Partial<Record<Weekday, { opens: string; closes: string }[]>>;

export const teams = sqliteTable('teams', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind', { enum: TEAM_KINDS }).notNull(),
  description: text('description'),
  street: text('street'),
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
  createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  updatedAt: text('updated_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
});

export type Team = typeof teams.$inferSelect;
export type NewTeam = typeof teams.$inferInsert;
