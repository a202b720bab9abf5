import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { teams } from './teams.ts';

export const COVERAGE_LEVELS = ['pc4', 'pc6', 'house-range'] as const;
export type CoverageLevel = (typeof COVERAGE_LEVELS)[number];
export const PARITIES = ['all', 'odd', 'even'] as const;
export type Parity = (typeof PARITIES)[number];

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

/** What a rule says, the same in the rules and in their staging table. */
const ruleColumns = () => ({
  level: text('level', { enum: COVERAGE_LEVELS }).notNull(),
  pc4: text('pc4').notNull(),
  /** Letters of a PC6 (`CP` of `9712 CP`); null on PC4 rules. */
  letters: text('letters'),
  houseFrom: integer('house_from'),
  houseTo: integer('house_to'),
  parity: text('parity', { enum: PARITIES }).notNull().default('all'),
  validFrom: text('valid_from').notNull().default('1970-01-01'),
  validTo: text('valid_to'),
  /** True where the team-to-area link is an assumption for demonstration, not the municipality's data. */
  isExample: integer('is_example', { mode: 'boolean' }).notNull().default(false),
});

/**
 * Which team serves which postcodes. The most specific rule wins: a house-number range within a
 * PC6 beats the PC6, which beats the PC4. `validFrom`/`validTo` let a boundary change be scheduled.
 */
export const coverageRules = sqliteTable(
  'coverage_rules',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id),
    ...ruleColumns(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [
    index('coverage_rules_pc4_idx').on(t.pc4),
    check(
      'coverage_rules_level_shape',
      sql`(${t.level} = 'pc4' AND ${t.letters} IS NULL) OR (${t.level} <> 'pc4' AND ${t.letters} IS NOT NULL)`,
    ),
    check(
      'coverage_rules_range_shape',
      sql`${t.level} <> 'house-range' OR (${t.houseFrom} IS NOT NULL AND ${t.houseTo} >= ${t.houseFrom})`,
    ),
  ],
);

export type CoverageRule = typeof coverageRules.$inferSelect;
export type NewCoverageRule = typeof coverageRules.$inferInsert;

/**
 * Rules of an import on their way in: written in chunks that fit the database's request limits,
 * then moved into `coverage_rules` in one short batch (all or nothing). Rows of an import that never
 * finished are removed by the next import.
 */
export const coverageRulesStaging = sqliteTable(
  'coverage_rules_staging',
  {
    importId: text('import_id').notNull(),
    id: text('id').notNull(),
    teamId: text('team_id').notNull(),
    ...ruleColumns(),
    stagedAt: text('staged_at').notNull().default(now),
  },
  (t) => [index('coverage_rules_staging_import_idx').on(t.importId)],
);
