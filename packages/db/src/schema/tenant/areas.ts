import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** The municipality's PC4 areas, from CBS data (Bron: CBS). */
export const areas = sqliteTable('areas', {
  pc4: text('pc4').primaryKey(),
  place: text('place').notNull(),
  /** Null where CBS publishes no count. */
  residents: integer('residents'),
});

export type Area = typeof areas.$inferSelect;
