import type { Client, InStatement } from '@libsql/client';
import { newId } from '@wijkteams/db';
import { categorySeedStatements } from '@wijkteams/intake';
import { parsePostcode, pc4AreasOf } from '@wijkteams/lookup';
import type { MunicipalitySeed } from './types.ts';

/**
 * Seeds a tenant database with the default help categories, its PC4 areas from the CBS data and,
 * for the launch municipalities,
 * example teams and coverage. One write batch: a database is either fully seeded or untouched.
 * Teams are only seeded into a database that has none, so seeding again changes nothing.
 */
export async function seedTenantDatabase(
  client: Client,
  municipality: Pick<MunicipalitySeed, 'cbsName'> & { teams?: MunicipalitySeed['teams'] },
): Promise<{ areas: number; teams: number }> {
  const areas = pc4AreasOf(municipality.cbsName);
  const statements: InStatement[] = [...categorySeedStatements()];
  statements.push(
    ...areas.map((a) => ({
      sql: 'INSERT OR IGNORE INTO areas (pc4, place, residents) VALUES (?, ?, ?)',
      args: [a.pc4, a.place ?? a.pc4, a.residents],
    })),
  );

  const { rows } = await client.execute('SELECT count(*) AS n FROM teams');
  const teams = Number(rows[0]?.n) === 0 ? (municipality.teams ?? []) : [];
  for (const team of teams) {
    const teamId = newId('team');
    statements.push({
      sql: `INSERT INTO teams (id, name, kind, description, street, house_number, postcode, city, phone, email,
              website, opening_hours, accessibility, is_default_intake, is_example)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
      args: [
        teamId,
        team.name,
        team.kind,
        team.description,
        team.street,
        team.houseNumber,
        canonicalPostcode(team.postcode),
        team.city,
        team.phone,
        team.email,
        team.website,
        JSON.stringify(team.openingHours),
        team.accessibility,
        team.isDefaultIntake ? 1 : 0,
      ],
    });
    for (const pc4 of team.pc4s) {
      statements.push({
        sql: `INSERT INTO coverage_rules (id, team_id, level, pc4, is_example) VALUES (?, ?, 'pc4', ?, 1)`,
        args: [newId('rule'), teamId, pc4],
      });
    }
  }
  await client.batch(statements, 'write');
  return { areas: areas.length, teams: teams.length };
}

function canonicalPostcode(value: string): string {
  const parsed = parsePostcode(value);
  if (!parsed.ok) throw new Error(`Seed data has an invalid postcode: ${value}`);
  return parsed.postcode.canonical;
}
