import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNodeClient } from '../src/client/node.ts';
import {
  applyMigrations,
  controlDb,
  localDatabaseUrl,
  type Migration,
  migrateFleet,
  migrations,
  newId,
  tenants,
} from '../src/index.ts';
import { readMigrationFolders } from '../src/migrations/read.ts';

let dataDir: string;
const open = (url: string) => createNodeClient({ url }, { dataDir, create: true });

async function registerTenants(slugs: string[]) {
  const control = open('file:control.db');
  await applyMigrations(control, migrations.control);
  for (const slug of slugs) {
    await open(localDatabaseUrl(`tenants/${slug}`)).execute('SELECT 1');
    await controlDb(control)
      .insert(tenants)
      .values({
        id: newId('ten'),
        slug,
        name: slug,
        municipalityCode: `GM${String(slugs.indexOf(slug)).padStart(4, '0')}`,
        databaseUrl: localDatabaseUrl(`tenants/${slug}`),
        status: 'active',
      });
  }
  return control;
}

const tables = async (url: string) =>
  (await open(url).execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).rows.map(
    (r) => String(r.name),
  );

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'wt-migrate-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the migration bundle', () => {
  it('carries exactly the SQL files under migrations/', () => {
    expect(migrations).toEqual(readMigrationFolders());
    expect(migrations.control.length).toBeGreaterThan(0);
    expect(migrations.tenant.length).toBeGreaterThan(0);
  });
});

describe('migrateFleet', () => {
  it('migrates the control database and every tenant database, and a second run does nothing', async () => {
    const control = await registerTenants(['aa', 'bb', 'cc']);
    const first = await migrateFleet({ control, migrations, openTenant: (t) => open(t.databaseUrl) });
    expect(first.map((r) => r.database).sort()).toEqual(['control', 'tenant:aa', 'tenant:bb', 'tenant:cc']);
    for (const r of first.filter((r) => r.database !== 'control')) {
      expect(r.error).toBeUndefined();
      expect(r.applied).toEqual(migrations.tenant.map((m) => m.tag));
    }
    expect(await tables(localDatabaseUrl('tenants/bb'))).toEqual(
      expect.arrayContaining(['__drizzle_migrations', 'areas', 'coverage_rules', 'teams']),
    );

    const second = await migrateFleet({ control, migrations, openTenant: (t) => open(t.databaseUrl) });
    expect(second.every((r) => r.applied.length === 0 && !r.error)).toBe(true);
  });

  it('isolates a failing tenant: the others are migrated and the failure is reported', async () => {
    const control = await registerTenants(['aa', 'broken', 'cc']);
    // A table in the way makes the first tenant migration fail on this database only.
    await open(localDatabaseUrl('tenants/broken')).execute('CREATE TABLE teams (x INTEGER)');

    const results = await migrateFleet({ control, migrations, openTenant: (t) => open(t.databaseUrl) });
    const byDb = Object.fromEntries(results.map((r) => [r.database, r]));
    expect(byDb['tenant:broken']?.error).toMatch(/teams/);
    expect(byDb['tenant:aa']?.applied).toHaveLength(migrations.tenant.length);
    expect(byDb['tenant:cc']?.applied).toHaveLength(migrations.tenant.length);
    // Nothing of the failed migration stayed behind.
    expect(await tables(localDatabaseUrl('tenants/broken'))).toEqual(['__drizzle_migrations', 'teams']);
  });

  it('exits non-zero from the CLI when a tenant fails, after migrating the rest', async () => {
    await registerTenants(['aa', 'broken']);
    await open(localDatabaseUrl('tenants/broken')).execute('CREATE TABLE areas (x INTEGER)');
    const run = () =>
      spawnSync(process.execPath, ['--import', 'tsx', 'packages/db/src/cli/migrate.ts'], {
        env: { ...process.env, DATA_DIR: dataDir },
        encoding: 'utf8',
      });
    const failed = run();
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/tenant:broken\s+FAILED/);
    expect(failed.stdout).toMatch(/tenant:aa\s+applied/);

    await open(localDatabaseUrl('tenants/broken')).execute('DROP TABLE areas');
    const fixed = run();
    expect(fixed.status).toBe(0);
    expect(fixed.stdout).toMatch(/tenant:aa\s+up to date/);
    expect(fixed.stdout).toMatch(/tenant:broken\s+applied/);
  });

  it('applies migrations from MIGRATIONS_DIR, generated but not yet bundled, to every tenant', async () => {
    await registerTenants(['aa', 'bb']);
    const folder = join(dataDir, 'migrations');
    cpSync(fileURLToPath(new URL('../../../migrations/', import.meta.url)), folder, { recursive: true });
    const journalFile = join(folder, 'tenant/meta/_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { idx: number }[] };
    journal.entries.push({
      idx: journal.entries.length,
      version: '6',
      when: Date.now(),
      tag: '9999_note',
      breakpoints: true,
    } as never);
    writeFileSync(journalFile, JSON.stringify(journal));
    writeFileSync(join(folder, 'tenant/9999_note.sql'), 'ALTER TABLE `teams` ADD `note` text;');
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'packages/db/src/cli/migrate.ts'], {
        env: { ...process.env, DATA_DIR: dataDir, ...env },
        encoding: 'utf8',
      });

    const result = run({ MIGRATIONS_DIR: folder, MIGRATION_CONCURRENCY: '1' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/tenant:aa\s+applied .*9999_note/);
    expect(result.stdout).toMatch(/tenant:bb\s+applied .*9999_note/);
    const columns = await open(localDatabaseUrl('tenants/bb')).execute(
      "SELECT name FROM pragma_table_info('teams')",
    );
    expect(columns.rows.map((r) => r.name)).toContain('note');
    expect(run({ MIGRATIONS_DIR: folder }).stdout).toMatch(/tenant:aa\s+up to date/);
    expect(run({ MIGRATION_CONCURRENCY: 'many' }).status).toBe(2);
  });
});

describe('applyMigrations', () => {
  const step = (tag: string, folderMillis: number, statements: string[]): Migration => ({
    tag,
    folderMillis,
    hash: tag,
    statements,
  });

  it('resumes a run that stopped half way, applying each migration exactly once', async () => {
    const client = open('file:resume.db');
    const one = step('one', 1, ['CREATE TABLE a (x INTEGER)']);
    const two = step('two', 2, ['CREATE TABLE b (x INTEGER)', 'INSERT INTO nowhere VALUES (1)']);
    await expect(applyMigrations(client, [one, two])).rejects.toThrow(/nowhere/);
    expect(await tables('file:resume.db')).toEqual(['__drizzle_migrations', 'a']);

    const fixed = step('two', 2, ['CREATE TABLE b (x INTEGER)']);
    expect(await applyMigrations(client, [one, fixed])).toEqual(['two']);
    expect(await applyMigrations(client, [one, fixed])).toEqual([]);
  });

  it('refuses a migration that was edited after it was applied', async () => {
    const client = open('file:drift.db');
    await applyMigrations(client, [step('one', 1, ['CREATE TABLE a (x INTEGER)'])]);
    await expect(
      applyMigrations(client, [{ ...step('one', 1, ['CREATE TABLE a (y INTEGER)']), hash: 'other' }]),
    ).rejects.toThrow(/changed after it was applied/);
  });
});

describe('the reference prefix migration', () => {
  it('keeps the prefix existing tenants had; of two that shared one, the older keeps it stored', async () => {
    const control = open('file:control.db');
    const before = migrations.control.filter((m) => m.tag < '0003');
    await applyMigrations(control, before);
    const insert = (slug: string, code: string, createdAt: string) =>
      control.execute({
        sql: `INSERT INTO tenants (id, slug, name, municipality_code, database_url, status, created_at)
              VALUES (?, ?, ?, ?, 'file:x.db', 'active', ?)`,
        args: [newId('ten'), slug, slug, code, createdAt],
      });
    await insert('heerde', 'GM0246', '2026-02-01T00:00:00.000Z');
    await insert('heerlen', 'GM0917', '2026-01-01T00:00:00.000Z');
    await insert('groningen', 'GM0014', '2026-03-01T00:00:00.000Z');
    await applyMigrations(control, migrations.control);
    const rows = await controlDb(control)
      .select({ slug: tenants.slug, prefix: tenants.referencePrefix })
      .from(tenants)
      .orderBy(tenants.slug);
    expect(rows).toEqual([
      { slug: 'groningen', prefix: 'GRO' },
      { slug: 'heerde', prefix: null },
      { slug: 'heerlen', prefix: 'HEE' },
    ]);
  });
});
