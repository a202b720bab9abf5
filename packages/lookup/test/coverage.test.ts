import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, type CoverageRule, migrations, type Team, tenantDb } from '@wijkteams/db';
import { createNodeClient } from '@wijkteams/db/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CoverageCache,
  CoverageIndex,
  coverageVersion,
  loadCoverage,
  parseCsvRows,
  parsePostcode,
  replaceCoverage,
  validateCoverageRows,
} from '../src/index.ts';

const team = (id: string, extra: Partial<Team> = {}): Team => ({
  id,
  name: id,
  kind: 'wij-team',
  description: null,
  street: null,
  houseNumber: null,
  houseLetter: null,
  houseNumberAddition: null,
  postcode: null,
  city: null,
  phone: null,
  email: null,
  website: null,
  openingHours: {},
  accessibility: null,
  closureMessage: null,
  isDefaultIntake: false,
  isExample: false,
  active: true,
  createdAt: '',
  updatedAt: '',
  ...extra,
});
const rule = (id: string, teamId: string, extra: Partial<CoverageRule>): CoverageRule => ({
  id,
  teamId,
  level: 'pc4',
  pc4: '9712',
  letters: null,
  houseFrom: null,
  houseTo: null,
  parity: 'all',
  validFrom: '1970-01-01',
  validTo: null,
  isExample: false,
  createdAt: '',
  ...extra,
});
const pc = (input: string) => {
  const parsed = parsePostcode(input);
  if (!parsed.ok) throw new Error(input);
  return parsed.postcode;
};

describe('CoverageIndex.resolve', () => {
  const index = new CoverageIndex({
    version: 1,
    kinds: [],
    teams: [
      team('team_a'),
      team('team_b'),
      team('team_c'),
      team('team_d', { isDefaultIntake: true }),
      team('team_e'),
    ],
    areas: ['9712', '9713'],
    rules: [
      rule('r_pc4', 'team_a', {}),
      rule('r_pc6', 'team_b', { level: 'pc6', letters: 'CP' }),
      rule('r_odd', 'team_c', {
        level: 'house-range',
        letters: 'CP',
        houseFrom: 1,
        houseTo: 99,
        parity: 'odd',
      }),
      rule('r_old', 'team_a', { pc4: '9713', validTo: '2026-12-31' }),
      rule('r_new', 'team_e', { pc4: '9713', validFrom: '2027-01-01' }),
    ],
  });
  const today = '2026-11-22';
  const teamOf = (input: string, house: number | null = null, date = today) =>
    index.resolve(pc(input), house, date)?.team.id;

  it('lets the most specific rule win: house range over PC6 over PC4', () => {
    expect(teamOf('9712CP', 3)).toBe('team_c');
    expect(index.resolve(pc('9712CP'), 3, today)?.match).toMatchObject({
      level: 'house-range',
      ruleId: 'r_odd',
    });
    expect(teamOf('9712CP', 4)).toBe('team_b');
    expect(teamOf('9712CP', 101)).toBe('team_b');
    expect(teamOf('9712CP')).toBe('team_b');
    expect(teamOf('9712AB', 3)).toBe('team_a');
    expect(teamOf('9712')).toBe('team_a');
  });

  it('says when a house number matters for a postcode', () => {
    expect(index.resolve(pc('9712CP'), null, today)?.houseNumberMatters).toBe(true);
    expect(index.resolve(pc('9712AB'), null, today)?.houseNumberMatters).toBe(false);
  });

  it('follows a scheduled boundary change on its first day', () => {
    expect(teamOf('9713AA', null, '2026-12-31')).toBe('team_a');
    expect(teamOf('9713AA', null, '2027-01-01')).toBe('team_e');
  });

  it('falls back to the default intake team within the municipality, and to nothing outside it', () => {
    const noRules = new CoverageIndex({
      version: 1,
      kinds: [],
      teams: [team('team_d', { isDefaultIntake: true })],
      areas: ['9712'],
      rules: [],
    });
    expect(noRules.resolve(pc('9712CP'), null, today)?.match.level).toBe('default');
    expect(noRules.resolve(pc('3511AB'), null, today)).toBeUndefined();
  });
});

describe('validateCoverageRows', () => {
  const context = {
    teamIds: new Set(['team_a', 'team_b']),
    areas: new Set(['9712', '9713']),
    format: 'csv' as const,
  };

  it('reports every bad row with its line, and accepts none of them', () => {
    const { rows, problems } = parseCsvRows(
      [
        'teamId,postcode,houseFrom,houseTo,parity,validFrom,validTo',
        'team_a,9712,,,,,',
        'team_x,9712AB,,,,,',
        'team_a,1234SA,,,,,',
        'team_a,3511AB,,,,,',
        'team_b,9712CP,10,5,odd,,',
        'team_b,9713,,,,2027-02-30,',
        'team_a,9712,,,,,',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    const result = validateCoverageRows(rows, context);
    expect(result.rules).toEqual([]);
    expect(result.problems.map((p) => p.name)).toEqual([
      'line:3.teamId',
      'line:4.postcode',
      'line:5.postcode',
      'line:6.houseTo',
      'line:7.validFrom',
      'line:8.postcode',
    ]);
    expect(result.problems.at(-1)?.reason).toMatch(/Overlaps line:2/);
  });

  it('names unknown CSV columns and JSON fields', () => {
    expect(parseCsvRows('teamId,postcode,bsn\nteam_a,9712,1').problems).toEqual([
      { name: 'line:1', reason: 'Unknown column bsn' },
    ]);
    const json = validateCoverageRows([{ teamId: 'team_a', postcode: '9712', bsn: '1' }], {
      ...context,
      format: 'json',
    });
    expect(json.problems).toEqual([{ name: 'body.rules.0.bsn', reason: 'Unknown field' }]);
    const twice = validateCoverageRows(
      [
        { teamId: 'team_a', postcode: '9712' },
        { teamId: 'team_b', postcode: '9712' },
      ],
      { ...context, format: 'json' },
    );
    expect(twice.problems).toEqual([
      { name: 'body.rules.1.postcode', reason: 'Overlaps body.rules.0 for the same pc4' },
    ]);
  });

  it('turns good rows into rules at the level their shape implies', () => {
    const result = validateCoverageRows(
      [
        { teamId: 'team_a', postcode: '9712' },
        { teamId: 'team_b', postcode: '9712 cp' },
        {
          teamId: 'team_a',
          postcode: '9712CP',
          houseFrom: 2,
          houseTo: 40,
          parity: 'even',
          validFrom: '2027-01-01',
        },
        { teamId: 'team_b', postcode: '9712CP', houseFrom: 1, houseTo: 39, parity: 'odd' },
      ],
      { ...context, format: 'json' },
    );
    expect(result.problems).toEqual([]);
    expect(result.rules.map((r) => [r.level, r.pc4, r.letters, r.parity])).toEqual([
      ['pc4', '9712', null, 'all'],
      ['pc6', '9712', 'CP', 'all'],
      ['house-range', '9712', 'CP', 'even'],
      ['house-range', '9712', 'CP', 'odd'],
    ]);
  });
});

describe('replacing coverage in a real tenant database', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'wt-coverage-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('swaps all rules at once, bumps the version, and the cache sees the change', async () => {
    const client = createNodeClient({ url: 'file:t.db' }, { dataDir, create: true });
    await applyMigrations(client, migrations.tenant);
    await client.batch([
      "INSERT INTO teams (id, name, kind) VALUES ('team_a', 'A', 'wij-team'), ('team_b', 'B', 'wij-team')",
      "INSERT INTO areas (pc4, place) VALUES ('9712', 'Groningen')",
      "INSERT INTO coverage_rules (id, team_id, level, pc4) VALUES ('r1', 'team_a', 'pc4', '9712')",
    ]);
    const db = tenantDb(client);
    const cache = new CoverageCache({ recheckMs: 0 });
    const before = await cache.index('t', () => db);
    expect(before.resolve(pc('9712AB'), null, '2026-11-22')?.team.id).toBe('team_a');

    const v1 = await coverageVersion(db);
    const { rules } = validateCoverageRows([{ teamId: 'team_b', postcode: '9712' }], {
      teamIds: new Set(['team_a', 'team_b']),
      areas: new Set(['9712']),
      format: 'json',
    });
    await replaceCoverage(db, rules);
    expect(await coverageVersion(db)).toBeGreaterThan(v1);
    expect((await loadCoverage(db)).rules.map((r) => r.teamId)).toEqual(['team_b']);
    const after = await cache.index('t', () => db);
    expect(after.resolve(pc('9712AB'), null, '2026-11-22')?.team.id).toBe('team_b');
  });

  it('leaves the old coverage in place when the new one cannot be stored', async () => {
    const client = createNodeClient({ url: 'file:t.db' }, { dataDir, create: true });
    await applyMigrations(client, migrations.tenant);
    await client.batch([
      "INSERT INTO teams (id, name, kind) VALUES ('team_a', 'A', 'wij-team')",
      "INSERT INTO coverage_rules (id, team_id, level, pc4) VALUES ('r1', 'team_a', 'pc4', '9712')",
    ]);
    const db = tenantDb(client);
    // A rule for a team that does not exist breaks the foreign key half way through the batch.
    const broken = [
      { id: 'r2', teamId: 'team_a', level: 'pc4' as const, pc4: '9713' },
      { id: 'r3', teamId: 'team_zzz', level: 'pc4' as const, pc4: '9714' },
    ];
    await client.execute('PRAGMA foreign_keys = ON');
    await expect(replaceCoverage(db, broken)).rejects.toThrow();
    expect((await loadCoverage(db)).rules.map((r) => r.id)).toEqual(['r1']);
  });
});
