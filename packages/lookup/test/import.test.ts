/**
 * Big coverage imports, as a Worker sends them: over `@libsql/client/web` to the local Hrana
 * endpoint, which takes at most 8 MiB per request as Turso's does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient } from '@libsql/client/web';
import { applyMigrations, migrations, type NewCoverageRule, tenantDb } from '@wijkteams/db';
import { type HranaServer, startHranaServer } from '@wijkteams/local/hrana';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coverageVersion, loadCoverage, parseCsvRows, replaceCoverage } from '../src/index.ts';

let dataDir: string;
let server: HranaServer;
let client: Client;
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wt-import-'));
  server = await startHranaServer({ dataDir, port: 0 });
  client = createClient({ url: `${server.url}/tenant/` });
  await applyMigrations(client, migrations.tenant);
  await client.batch([
    "INSERT INTO teams (id, name, kind) VALUES ('team_a', 'A', 'wij-team'), ('team_b', 'B', 'wij-team')",
    "INSERT INTO coverage_rules (id, team_id, level, pc4) VALUES ('r_old', 'team_a', 'pc4', '9712')",
  ]);
});
afterEach(async () => {
  client.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** `count` house-number rules, each a few houses of one PC6: the shape of a whole city's file. */
function houseRules(count: number, teamId = 'team_b'): NewCoverageRule[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `rule_${String(i).padStart(26, '0')}`,
    teamId,
    level: 'house-range' as const,
    pc4: String(1000 + (i % 9000)),
    letters: `${String.fromCharCode(65 + ((i / 9000) % 26))}${String.fromCharCode(65 + ((i / 234000) % 26))}`,
    houseFrom: 1 + (i % 7) * 10,
    houseTo: 9 + (i % 7) * 10,
    parity: 'all' as const,
    validFrom: '2026-01-01',
    validTo: null,
    isExample: false,
  }));
}

const stagedRows = async () =>
  Number((await client.execute('SELECT count(*) AS n FROM coverage_rules_staging')).rows[0]?.n);

describe('replacing the coverage over Hrana', () => {
  it('takes 50,000 rules in chunks under the request limit and moves the version once', async () => {
    const db = tenantDb(client);
    const before = await coverageVersion(db);
    // One batch of all of them is over the endpoint's 8 MiB: the reason for staging in chunks.
    const oneBatch = JSON.stringify(houseRules(50_000)).length;
    expect(oneBatch).toBeGreaterThan(8 * 1024 * 1024);
    const { version } = await replaceCoverage(db, houseRules(50_000));
    expect(version).toBe(before + 1);
    expect(await coverageVersion(db)).toBe(before + 1);
    const { rules } = await loadCoverage(db);
    expect(rules).toHaveLength(50_000);
    expect(rules.some((r) => r.id === 'r_old')).toBe(false);
    expect(await stagedRows()).toBe(0);
  });

  it('leaves the old coverage and no staged rows when a chunk fails half way', async () => {
    let batches = 0;
    const failing = new Proxy(client, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'batch') return typeof value === 'function' ? value.bind(target) : value;
        return (...args: Parameters<Client['batch']>) => {
          if (++batches === 3) return Promise.reject(new Error('connection reset'));
          return target.batch(...args);
        };
      },
    });
    const db = tenantDb(failing);
    const before = await coverageVersion(db);
    await expect(replaceCoverage(db, houseRules(5_000))).rejects.toThrow('connection reset');
    expect(batches).toBe(3);
    expect((await loadCoverage(db)).rules.map((r) => r.id)).toEqual(['r_old']);
    expect(await coverageVersion(db)).toBe(before);
    expect(await stagedRows()).toBe(0);
  });

  it('removes staged rows of an import that never finished, once they are an hour old', async () => {
    await client.execute(
      "INSERT INTO coverage_rules_staging (import_id, id, team_id, level, pc4, staged_at) VALUES ('dead', 'r_x', 'team_a', 'pc4', '9999', '2026-01-01T00:00:00.000Z')",
    );
    await replaceCoverage(tenantDb(client), houseRules(3), new Date('2026-01-01T02:00:00Z'));
    expect(await stagedRows()).toBe(0);
    expect((await loadCoverage(tenantDb(client))).rules.map((r) => r.id)).not.toContain('r_x');
  });

  it('moves the version for every other change still: rules, teams and areas', async () => {
    const db = tenantDb(client);
    let version = await coverageVersion(db);
    for (const statement of [
      "UPDATE coverage_rules SET valid_to = '2030-01-01' WHERE id = 'r_old'",
      "INSERT INTO areas (pc4, place) VALUES ('9713', 'Groningen')",
      "UPDATE areas SET place = 'Stad' WHERE pc4 = '9713'",
      "DELETE FROM areas WHERE pc4 = '9713'",
      "UPDATE teams SET name = 'A2' WHERE id = 'team_a'",
      "DELETE FROM coverage_rules WHERE id = 'r_old'",
    ]) {
      await client.execute(statement);
      const next = await coverageVersion(db);
      expect(next, statement).toBe(version + 1);
      version = next;
    }
  });
});

describe('CSV line numbers', () => {
  it('read a two-column file without guessing its delimiter', () => {
    expect(parseCsvRows('teamId,postcode\nteam_a,3825\nteam_b,3811\n')).toMatchObject({
      rows: [
        { teamId: 'team_a', postcode: '3825' },
        { teamId: 'team_b', postcode: '3811' },
      ],
      lines: [2, 3],
      problems: [],
    });
  });

  it('name the line as the file has it: blank lines, CRLF and quoted line breaks counted', () => {
    const csv = [
      '',
      'teamId,postcode,validTo',
      'team_a,9712,',
      '',
      '   ',
      'team_a,9713,',
      '"team_a",9714,"a',
      'b"',
      'team_a,9715',
      'team_a,9716,',
      '',
    ].join('\r\n');
    const { rows, lines, problems } = parseCsvRows(csv);
    expect(rows.map((r) => r.postcode)).toEqual(['9712', '9713', '9714', '9716']);
    expect(lines).toEqual([3, 6, 7, 10]);
    expect(problems).toEqual([{ name: 'line:9', reason: 'Expected 3 fields, found 2' }]);
  });
});
