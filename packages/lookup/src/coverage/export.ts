import { type CoverageRule, coverageRules, type TenantDb } from '@wijkteams/db';
import { IMPORT_COLUMNS } from './import.ts';

/** One rule as `PUT …/postcode-areas` takes it; a field at its default is left out. */
export interface ExportedRule {
  teamId: string;
  postcode: string;
  houseFrom?: number;
  houseTo?: number;
  parity?: 'odd' | 'even';
  validFrom?: string;
  validTo?: string;
}

const NO_START = '1970-01-01';

/**
 * The tenant's coverage in the import's own format, in a fixed order (by postcode, house numbers,
 * dates, team), so that exporting, importing that and exporting again gives the same bytes. Rules
 * of teams out of service are included: they are kept, and apply again when the team returns.
 */
export async function exportCoverage(db: TenantDb): Promise<ExportedRule[]> {
  return (await db.select().from(coverageRules)).sort(compareRules).map(exportedRule);
}

function exportedRule(rule: CoverageRule): ExportedRule {
  return {
    teamId: rule.teamId,
    postcode: `${rule.pc4}${rule.letters ?? ''}`,
    ...(rule.houseFrom !== null ? { houseFrom: rule.houseFrom } : {}),
    ...(rule.houseTo !== null ? { houseTo: rule.houseTo } : {}),
    ...(rule.parity !== 'all' ? { parity: rule.parity } : {}),
    ...(rule.validFrom !== NO_START ? { validFrom: rule.validFrom } : {}),
    ...(rule.validTo !== null ? { validTo: rule.validTo } : {}),
  };
}

function compareRules(a: CoverageRule, b: CoverageRule): number {
  const key = (r: CoverageRule) =>
    [
      r.pc4,
      r.letters ?? '',
      String(r.houseFrom ?? 0).padStart(5, '0'),
      String(r.houseTo ?? 0).padStart(5, '0'),
      r.parity,
      r.validFrom,
      r.validTo ?? '9999-12-31',
      r.teamId,
    ].join('\u0000');
  const [ka, kb] = [key(a), key(b)];
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The CSV the import takes: a header row, one line per rule, empty where a field is at its default. */
export function coverageCsv(rules: readonly ExportedRule[]): string {
  const lines = [IMPORT_COLUMNS.join(',')];
  for (const rule of rules) {
    // Every value is an id, a postcode, a number or a date: nothing that needs quoting.
    lines.push(IMPORT_COLUMNS.map((column) => String(rule[column] ?? '')).join(','));
  }
  return `${lines.join('\n')}\n`;
}
