import type { Client } from '@libsql/client';
import type { Migration } from './types.ts';

/** drizzle's own bookkeeping table, so drizzle-kit and this migrator agree on what is applied. */
const TABLE = '__drizzle_migrations';

export class MigrationDriftError extends Error {
  override name = 'MigrationDriftError';
}

/**
 * Applies the pending migrations to one database and returns the tags it applied. Each migration
 * and the row that records it go in one write batch, so a run cut off half way leaves every
 * migration either fully applied and recorded or not at all; running again picks up where it stopped.
 */
export async function applyMigrations(client: Client, migrations: readonly Migration[]): Promise<string[]> {
  await client.execute(
    `CREATE TABLE IF NOT EXISTS ${TABLE} (id INTEGER PRIMARY KEY, hash TEXT NOT NULL, created_at NUMERIC)`,
  );
  const { rows } = await client.execute(`SELECT hash, created_at FROM ${TABLE} ORDER BY created_at`);
  const applied = new Map(rows.map((r) => [Number(r.created_at), String(r.hash)]));

  const appliedTags: string[] = [];
  for (const migration of migrations) {
    const recorded = applied.get(migration.folderMillis);
    if (recorded !== undefined) {
      if (recorded !== migration.hash) {
        throw new MigrationDriftError(`Migration ${migration.tag} was changed after it was applied`);
      }
      continue;
    }
    await client.batch(
      [
        ...migration.statements,
        {
          sql: `INSERT INTO ${TABLE} (hash, created_at) VALUES (?, ?)`,
          args: [migration.hash, migration.folderMillis],
        },
      ],
      'write',
    );
    appliedTags.push(migration.tag);
  }
  return appliedTags;
}
