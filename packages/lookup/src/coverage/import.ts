import {
  type CoverageLevel,
  coverageRules,
  coverageRulesStaging,
  meta,
  type NewCoverageRule,
  newId,
  PARITIES,
  type Parity,
  type TenantDb,
} from '@wijkteams/db';
import { isDay } from '@wijkteams/time';
import { count, eq, lt, sql } from 'drizzle-orm';
import Papa from 'papaparse';
import { parsePostcode } from '../postcode.ts';
import { COVERAGE_VERSION_KEY } from './load.ts';

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

/**
 * The problems of an import: every one is counted, the first `keep` are kept. A file of 50,000 bad
 * rows has hundreds of thousands of problems; an answer lists the first hundred and the count.
 */
class Problems {
  readonly kept: ImportProblem[] = [];
  count = 0;
  constructor(readonly keep = 1_000) {}
  add(problem: ImportProblem): void {
    this.count++;
    if (this.kept.length < this.keep) this.kept.push(problem);
  }
}

/**
 * Reads a coverage CSV with a header row. Each row keeps the line it starts on (line 1 is the
 * header), counted in the file as sent: blank lines and quoted line breaks included, so that a
 * problem names the line a person sees in their editor.
 */
export function parseCsvRows(csv: string): {
  rows: ImportRow[];
  lines: number[];
  problems: ImportProblem[];
  problemCount: number;
} {
  const { data, errors } = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), {
    delimiter: ',',
    header: false,
    skipEmptyLines: false,
  });
  const startLine: number[] = [];
  let line = 1;
  for (const fields of data) {
    startLine.push(line);
    line += 1;
    for (const field of fields) for (const char of field) if (char === '\n') line++;
  }
  const problems = new Problems();
  for (const e of errors) problems.add({ name: `line:${startLine[e.row ?? 0] ?? 1}`, reason: e.message });
  const isBlank = (fields: string[]) => fields.every((field) => field.trim() === '');
  const headerAt = data.findIndex((fields) => !isBlank(fields));
  const fields = headerAt < 0 ? [] : (data[headerAt] as string[]);
  const headerLine = headerAt < 0 ? 1 : (startLine[headerAt] as number);
  const unknown = fields.filter((f) => !(IMPORT_COLUMNS as readonly string[]).includes(f));
  for (const column of unknown)
    problems.add({ name: `line:${headerLine}`, reason: `Unknown column ${column}` });
  for (const column of ['teamId', 'postcode']) {
    if (!fields.includes(column))
      problems.add({ name: `line:${headerLine}`, reason: `Missing column ${column}` });
  }
  const rows: ImportRow[] = [];
  const lines: number[] = [];
  for (let i = headerAt + 1; headerAt >= 0 && i < data.length; i++) {
    const values = data[i] as string[];
    if (isBlank(values)) continue;
    const at = startLine[i] as number;
    if (values.length !== fields.length) {
      problems.add({
        name: `line:${at}`,
        reason: `Expected ${fields.length} fields, found ${values.length}`,
      });
      continue;
    }
    rows.push(Object.fromEntries(fields.map((field, j) => [field, values[j]])));
    lines.push(at);
  }
  return { rows, lines, problems: problems.kept, problemCount: problems.count };
}

/**
 * Checks every row and turns the valid ones into coverage rules. Every problem is reported, each
 * with its line (CSV) or index (JSON), so a municipality can fix its file in one go.
 */
export function validateCoverageRows(
  rows: ImportRow[],
  context: {
    teamIds: Set<string>;
    areas: Set<string>;
    format: 'csv' | 'json';
    /** For CSV: the line each row starts on (from parseCsvRows). */
    lines?: number[];
  },
): { rules: NewCoverageRule[]; problems: ImportProblem[]; problemCount: number } {
  const problems = new Problems();
  const rules: NewCoverageRule[] = [];
  /** Where each rule came from (`line:4.postcode`, `body.rules.3.postcode`), for the overlap report. */
  const origins: string[] = [];
  if (rows.length > MAX_IMPORT_ROWS)
    return {
      rules,
      problems: [{ name: 'body', reason: `At most ${MAX_IMPORT_ROWS} rows` }],
      problemCount: 1,
    };
  rows.forEach((row, index) => {
    const at = (field: string) =>
      context.format === 'csv'
        ? `line:${context.lines?.[index] ?? index + 2}.${field}`
        : `body.rules.${index}.${field}`;
    const fail = (field: string, reason: string) => problems.add({ name: at(field), reason });
    const before = problems.count;
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
    if (problems.count > before || !parsed.ok || !teamId) return;
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
  for (const problem of overlaps(rules, origins)) problems.add(problem);
  return { rules: problems.count ? [] : rules, problems: problems.kept, problemCount: problems.count };
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

function integer(value: string | undefined, name: string, problems: Problems): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 99_999) {
    problems.add({ name, reason: 'A house number from 1 to 99999' });
    return undefined;
  }
  return n;
}

/**
 * What one request to the database may carry. The local Hrana endpoint takes 8 MiB per request, as
 * Turso limits requests too; a rule is about 0.5 KB as Hrana JSON, so 1,000 rules (two statements of 500, under
 * SQLite's 32,766 bound parameters each) are about 525 KB (measured), far below it.
 */
const ROWS_PER_STATEMENT = 500;
const STATEMENTS_PER_REQUEST = 2;
/** Staged rows of an import that never finished (a crash between its chunks) go after this. */
const ABANDONED_AFTER_MS = 60 * 60 * 1000;
const IMPORT_MARKER = 'coverage_import';

const COLUMNS = [
  'id',
  'team_id',
  'level',
  'pc4',
  'letters',
  'house_from',
  'house_to',
  'parity',
  'valid_from',
  'valid_to',
  'is_example',
].join(', ');

/**
 * Replaces all coverage rules, all or nothing, however many there are: the rules are written into
 * a staging table in chunks that each fit one database request, then swapped in by one short batch
 * (a transaction) that also moves the coverage version, once, and answers the new version. Until that batch commits, lookups see
 * the old coverage; if anything fails before it, the old coverage stays and the staged rows go.
 */
export async function replaceCoverage(
  db: TenantDb,
  rules: NewCoverageRule[],
  now: Date = new Date(),
): Promise<{ version: number }> {
  const importId = crypto.randomUUID();
  const abandoned = new Date(now.getTime() - ABANDONED_AFTER_MS).toISOString();
  await db.delete(coverageRulesStaging).where(lt(coverageRulesStaging.stagedAt, abandoned));
  try {
    const perRequest = ROWS_PER_STATEMENT * STATEMENTS_PER_REQUEST;
    for (let i = 0; i < rules.length; i += perRequest) {
      const inserts = [];
      for (let j = i; j < Math.min(i + perRequest, rules.length); j += ROWS_PER_STATEMENT) {
        const rows = rules.slice(j, Math.min(j + ROWS_PER_STATEMENT, i + perRequest, rules.length));
        inserts.push(db.insert(coverageRulesStaging).values(rows.map((rule) => ({ ...rule, importId }))));
      }
      const [first, ...rest] = inserts;
      if (first) await db.batch([first, ...rest]);
    }
    const staged = await db
      .select({ n: count() })
      .from(coverageRulesStaging)
      .where(eq(coverageRulesStaging.importId, importId))
      .get();
    if ((staged?.n ?? 0) !== rules.length)
      throw new Error(`Staged ${staged?.n} of ${rules.length} coverage rules`);
    const swapped = await db.batch([
      db.insert(meta).values({ key: IMPORT_MARKER, value: importId }),
      db.delete(coverageRules),
      db.run(
        sql`INSERT INTO coverage_rules (${sql.raw(COLUMNS)}) SELECT ${sql.raw(COLUMNS)} FROM coverage_rules_staging WHERE import_id = ${importId}`,
      ),
      db.delete(coverageRulesStaging).where(eq(coverageRulesStaging.importId, importId)),
      db.delete(meta).where(eq(meta.key, IMPORT_MARKER)),
      db
        .update(meta)
        .set({ value: sql`CAST(${meta.value} AS INTEGER) + 1` })
        .where(eq(meta.key, COVERAGE_VERSION_KEY)),
      db.select({ value: meta.value }).from(meta).where(eq(meta.key, COVERAGE_VERSION_KEY)),
    ]);
    return { version: Number(swapped[6][0]?.value ?? 0) };
  } catch (error) {
    await db
      .delete(coverageRulesStaging)
      .where(eq(coverageRulesStaging.importId, importId))
      .catch(() => {});
    throw error;
  }
}
