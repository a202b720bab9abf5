import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Small facts about the tenant database, such as the version of its coverage (`coverage_version`). */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
