import {
  type CoverageLevel,
  coverageRules,
  type NewCoverageRule,
  newId,
  PARITIES,
  type Parity,
  type TenantDb,
} from '@wijkteams/db';
import { isDay } from '@wijkteams/time';
import Papa from 'papaparse';
import { parsePostcode } from '../postcode.ts';

/** One row of a coverage import, as sent (JSON) or read (CSV, all strings). */
export type ImportRow = Record<string, unknown>;

export interface ImportProblem {
  /** `line:4.postcode` for CSV (line 1 is the header), `body.rules.3.postcode` for JSON. */
  name: string;
  reason: string;
}

export const IMPORT_COLUMNS = [
  'teamId',
  'postcode',
  'houseFrom',
  'houseTo',
  'parity',
  'validFrom',
  'validTo',
] as const;
export const MAX_IMPORT_ROWS = 50_000;

export function parseCsvRows(csv: string): { rows: ImportRow[]; problems: ImportProblem[] } {
  const { data, errors, meta } = Papa.parse<Record<string, string>>(csv.trim(), {
    header: true,
    skipEmptyLines: true,
  });
  const problems: ImportProblem[] = errors.map((e) => ({
    name: `line:${(e.row ?? 0) + 2}`,
    reason: e.message,
  }));
  const unknown = (meta.fields ?? []).filter((f) => !(IMPORT_COLUMNS as readonly string[]).includes(f));
  for (const column of unknown) problems.push({ name: 'line:1', reason: `Unknown column ${column}` });
  for (const column of ['teamId', 'postcode']) {
    if (!meta.fields?.includes(column)) problems.push({ name: 'line:1', reason: `Missing column ${column}` });
  }
  return { rows: data, problems };
}

/**
 * Checks every row and turns the valid ones into coverage rules. Every problem is reported, each
 * with its line (CSV) or index (JSON), so a municipality can fix its file in one go.
 */
export function validateCoverageRows(
  rows: ImportRow[],
  context: { teamIds: Set<string>; areas: Set<string>; format: 'csv' | 'json' },
): { rules: NewCoverageRule[]; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const rules: NewCoverageRule[] = [];
  /** Where each rule came from (`line:4.postcode`, `body.rules.3.postcode`), for the overlap report. */
  const origins: string[] = [];
  if (rows.length > MAX_IMPORT_ROWS)
    return { rules, problems: [{ name: 'body', reason: `At most ${MAX_IMPORT_ROWS} rows` }] };
  rows.forEach((row, index) => {
    const at = (field: string) =>
      context.format === 'csv' ? `line:${index + 2}.${field}` : `body.rules.${index}.${field}`;
    const fail = (field: string, reason: string) => problems.push({ name: at(field), reason });
    const before = problems.length;
    if (context.format === 'json') {
      for (const key of Object.keys(row))
        if (!(IMPORT_COLUMNS as readonly string[]).includes(key)) fail(key, 'Unknown field');
    }
    const text = (key: string) =>
      row[key] === undefined || row[key] === null || row[key] === '' ? undefined : String(row[key]);
    const teamId = text('teamId');
    if (!teamId) fail('teamId', 'Required');
    else if (!context.teamIds.has(teamId)) fail('teamId', 'No such team in this municipality');
    const parsed = parsePostcode(text('postcode') ?? '');
    if (!parsed.ok) fail('postcode', parsed.reason);
    else if (!context.areas.has(parsed.postcode.pc4))
      fail('postcode', 'Not a PC4 area of this municipality (CBS)');
    const houseFrom = integer(text('houseFrom'), at('houseFrom'), problems);
    const houseTo = integer(text('houseTo'), at('houseTo'), problems);
    const parity = (text('parity') ?? 'all') as Parity;
    if (!PARITIES.includes(parity)) fail('parity', 'One of all, odd, even');
    const validFrom = text('validFrom') ?? '1970-01-01';
    const validTo = text('validTo') ?? null;
    if (!isDay(validFrom)) fail('validFrom', 'A date, YYYY-MM-DD');
    if (validTo !== null && !isDay(validTo)) fail('validTo', 'A date, YYYY-MM-DD');
    if (validTo !== null && isDay(validFrom) && isDay(validTo) && validTo < validFrom)
      fail('validTo', 'Before validFrom');
    const isRange = houseFrom !== undefined || houseTo !== undefined;
    if (isRange && (houseFrom === undefined || houseTo === undefined))
      fail('houseTo', 'A range needs houseFrom and houseTo');
    if (houseFrom !== undefined && houseTo !== undefined && houseTo < houseFrom)
      fail('houseTo', 'Below houseFrom');
    if (isRange && parsed.ok && !parsed.postcode.letters)
      fail('postcode', 'A house-number range needs a full postcode (PC6)');
    if (!isRange && parity !== 'all') fail('parity', 'Only for a house-number range');
    if (problems.length > before || !parsed.ok || !teamId) return;
    const level: CoverageLevel = isRange ? 'house-range' : parsed.postcode.letters ? 'pc6' : 'pc4';
    rules.push({
      id: newId('rule'),
      teamId,
      level,
      pc4: parsed.postcode.pc4,
      letters: parsed.postcode.letters,
      houseFrom: houseFrom ?? null,
      houseTo: houseTo ?? null,
      parity,
      validFrom,
      validTo,
      isExample: false,
    });
    origins.push(at('postcode'));
  });
  problems.push(...overlaps(rules, origins));
  return { rules: problems.length ? [] : rules, problems };
}

/** Two rules for the same place and level may not apply on the same day (and house number). */
function overlaps(rules: NewCoverageRule[], origins: string[]): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const byPlace = new Map<string, number[]>();
  rules.forEach((rule, index) => {
    const key = `${rule.level}:${rule.pc4}${rule.letters ?? ''}`;
    for (const otherIndex of byPlace.get(key) ?? []) {
      const other = rules[otherIndex] as NewCoverageRule;
      const datesOverlap =
        (rule.validFrom ?? '') <= (other.validTo ?? '9999') &&
        (other.validFrom ?? '') <= (rule.validTo ?? '9999');
      if (datesOverlap && housesOverlap(rule, other)) {
        const where = origins[otherIndex]?.replace(/\.postcode$/, '');
        problems.push({ name: origins[index] ?? '', reason: `Overlaps ${where} for the same ${rule.level}` });
        break;
      }
    }
    byPlace.set(key, [...(byPlace.get(key) ?? []), index]);
  });
  return problems;
}

function housesOverlap(a: NewCoverageRule, b: NewCoverageRule): boolean {
  if (a.level !== 'house-range') return true;
  const [aFrom, aTo, bFrom, bTo] = [a.houseFrom ?? 0, a.houseTo ?? 0, b.houseFrom ?? 0, b.houseTo ?? 0];
  if (aTo < bFrom || bTo < aFrom) return false;
  return a.parity === 'all' || b.parity === 'all' || a.parity === b.parity;
}

function integer(value: string | undefined, name: string, problems: ImportProblem[]): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 99_999) {
    problems.push({ name, reason: 'A house number from 1 to 99999' });
    return undefined;
  }
  return n;
}

/** Replaces all coverage rules in one write batch: the next lookup sees either all or none of it. */
export async function replaceCoverage(db: TenantDb, rules: NewCoverageRule[]): Promise<void> {
  const CHUNK = 500;
  const inserts = [];
  for (let i = 0; i < rules.length; i += CHUNK)
    inserts.push(db.insert(coverageRules).values(rules.slice(i, i + CHUNK)));
  await db.batch([db.delete(coverageRules), ...inserts]);
}
