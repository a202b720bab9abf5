import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Migration, MigrationSet } from './types.ts';

const ROOT = fileURLToPath(new URL('../../../../migrations/', import.meta.url));

/** Reads drizzle-kit's output folders (`migrations/control`, `migrations/tenant`) from disk. */
export function readMigrationFolders(root = ROOT): MigrationSet {
  return { control: readFolder(`${root}control`), tenant: readFolder(`${root}tenant`) };
}

function readFolder(migrationsFolder: string): Migration[] {
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as {
    entries: { tag: string; when: number }[];
  };
  return readMigrationFiles({ migrationsFolder }).map((m, i) => ({
    tag: journal.entries[i]?.tag ?? String(m.folderMillis),
    folderMillis: m.folderMillis,
    hash: m.hash,
    statements: m.sql.map((s) => s.trim()).filter((s) => s.length > 0),
  }));
}
