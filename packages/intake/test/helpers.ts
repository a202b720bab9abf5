import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient } from '@libsql/client';
import { applyMigrations, migrations, newId, tenantDb } from '@wijkteams/db';
import { tuneEmbedded } from '@wijkteams/db/node';
import { CoverageIndex, loadCoverage } from '@wijkteams/lookup';
import { afterEach, beforeEach } from 'vitest';
import {
  type IntakeContext,
  type IntakeInput,
  importTenantKey,
  registerProvider,
  type SubmitOutcome,
  seedCategories,
  submitRequest,
} from '../src/index.ts';

export const SECRET = 'test-secret-of-at-least-32-characters!';
export const START = new Date('2026-03-02T09:00:00.000Z');

export interface World {
  dataDir: string;
  file: string;
  ctx: IntakeContext & { setNow(at: Date | string): void; advanceHours(hours: number): void };
  coverage: CoverageIndex;
  teams: { centrum: string; oost: string; west: string };
  open(): Promise<Client>;
  submit(input?: Partial<IntakeInput>): Promise<Extract<SubmitOutcome, { ok: true }>>;
  count(table: string): Promise<number>;
  /** Every byte of the database as it is on disk (main file and write-ahead log). */
  bytesOnDisk(): Promise<Buffer>;
  close(): void;
}

/**
 * A real libSQL file with the tenant migrations, Groningen-like teams and coverage, the default
 * categories, and a clock the test moves.
 */
export async function makeWorld(): Promise<World> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wt-intake-'));
  const clients: Client[] = [];
  const open = async () => {
    const client = await openTenantFile(dataDir);
    clients.push(client);
    return client;
  };
  const db = await open();
  await applyMigrations(db, migrations.tenant);
  const teams = { centrum: newId('team'), oost: newId('team'), west: newId('team') };
  await db.batch(
    [
      ...['9711', '9712', '9733', '9741'].map((pc4) => ({
        sql: 'INSERT INTO areas (pc4, place) VALUES (?, ?)',
        args: [pc4, 'Groningen'],
      })),
      teamRow(teams.centrum, 'WIJ Centrum', true),
      teamRow(teams.oost, 'WIJ Oost', false),
      teamRow(teams.west, 'WIJ West', false),
      rule(teams.centrum, 'pc4', '9712', null),
      rule(teams.oost, 'pc4', '9733', null),
      // One street of 9733 is served from West, for odd numbers 1 to 99 only.
      rule(teams.west, 'house-range', '9733', 'AB', [1, 99, 'odd']),
    ],
    'write',
  );
  await seedCategories(db);

  let now = START;
  const ctx = {
    db,
    clock: () => now,
    tenant: { id: newId('ten'), slug: 'groningen', code: 'GRO' },
    encryptionKey: await importTenantKey(SECRET),
    origin: '203.0.113.7',
    setNow(at: Date | string) {
      now = new Date(at);
    },
    advanceHours(hours: number) {
      now = new Date(now.getTime() + hours * 3_600_000);
    },
  };
  const coverage = new CoverageIndex(await loadCoverage(tenantDb(db)));
  const file = join(dataDir, 'tenant.db');
  return {
    dataDir,
    file,
    ctx,
    coverage,
    teams,
    open,
    async submit(input = {}) {
      const outcome = await submitRequest(ctx, validInput(input), { kind: 'resident' }, coverage);
      if (!outcome.ok) throw new Error(`submit failed: ${JSON.stringify(outcome)}`);
      return outcome;
    },
    async count(table: string) {
      const { rows } = await db.execute(`SELECT count(*) AS n FROM ${table}`);
      return Number(rows[0]?.n);
    },
    async bytesOnDisk() {
      const parts = [file, `${file}-wal`].flatMap((path) => {
        try {
          return [readFileSync(path)];
        } catch {
          return [];
        }
      });
      return Buffer.concat(parts);
    },
    close() {
      for (const client of clients) client.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A client on the shared test file. `timeout` sets the busy timeout on every connection of the
 * client's pool; `PRAGMA busy_timeout` (as in `tuneEmbedded`) would reach only the one it ran on,
 * and writers from other processes would then meet SQLITE_BUSY instead of waiting their turn.
 */
export async function openTenantFile(dataDir: string): Promise<Client> {
  const client = createClient({ url: `file:${join(dataDir, 'tenant.db')}`, timeout: 10_000 });
  await tuneEmbedded(client);
  return client;
}

export function validInput(overrides: Partial<IntakeInput> = {}): IntakeInput {
  return {
    postcode: '9712 CP',
    houseNumber: 12,
    category: 'odd-jobs',
    description: 'De dakgoot lekt boven de voordeur en ik kan zelf niet meer de ladder op.',
    contact: { name: 'Jantje Veenstra', email: 'jantje.veenstra@example.nl', phone: '06 12345678' },
    consent: true,
    ...overrides,
  };
}

/** The staff key that tests act as. */
export const STAFF = 'key:staff1';

/**
 * A fresh world, with providers at every tier of the ladder, before each test of the file (closed
 * after it). Read `t.world` and `t.providers` inside tests: they are replaced for every test.
 */
export function worldPerTest(): { world: World; providers: LadderProviders } {
  const t = {} as { world: World; providers: LadderProviders };
  beforeEach(async () => {
    t.world = await makeWorld();
    t.providers = await registerLadderProviders(t.world.ctx);
  });
  afterEach(() => t.world.close());
  return t;
}

export type LadderProviders = Awaited<ReturnType<typeof registerLadderProviders>>;

/** Providers at every default tier for odd jobs. */
export async function registerLadderProviders(ctx: IntakeContext) {
  const ids: Record<string, string> = {};
  for (const tier of ['volunteers', 'woonservice', 'private-provider', 'company']) {
    const result = await registerProvider(ctx, {
      name: `Provider ${tier}`,
      tier,
      categories: ['odd-jobs', 'errands'],
      contact: { email: `${tier}@providers.example.nl`, phone: '06 98765432' },
    });
    if (!result.ok) throw new Error(JSON.stringify(result));
    ids[tier] = result.provider.id;
  }
  return ids as Record<'volunteers' | 'woonservice' | 'private-provider' | 'company', string>;
}

function teamRow(id: string, name: string, isDefaultIntake: boolean) {
  return {
    sql: 'INSERT INTO teams (id, name, kind, is_default_intake) VALUES (?, ?, ?, ?)',
    args: [id, name, 'wij-team', isDefaultIntake ? 1 : 0],
  };
}

function rule(
  teamId: string,
  level: string,
  pc4: string,
  letters: string | null,
  [houseFrom, houseTo, parity]: [number | null, number | null, string] = [null, null, 'all'],
) {
  return {
    sql: `INSERT INTO coverage_rules (id, team_id, level, pc4, letters, house_from, house_to, parity)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [newId('rule'), teamId, level, pc4, letters, houseFrom, houseTo, parity],
  };
}
