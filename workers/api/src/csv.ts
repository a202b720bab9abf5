import { z } from '@hono/zod-openapi';
import { dutchIsoInstant } from '@wijkteams/time';
import type { Context } from 'hono';
import Papa from 'papaparse';
import type { AppEnv } from './context.ts';
import { preferredType } from './routes/accept.ts';

/**
 * The CSV every export answers with `Accept: text/csv`, in one format for finance departments that
 * open it in Dutch Excel: said once here, in the OpenAPI document (the `CsvExport` schema) and in
 * README.md.
 */
export const CSV_FORMAT = [
  'CSV for Dutch spreadsheets, the same for every export: UTF-8 with a byte order mark (so Excel reads the accents), fields separated by `;`, lines ended by CRLF, one header row with the names of the JSON fields. A field is quoted where it holds `;`, a quote or a line break.',
  'Amounts twice: `…Euros` in euros with a decimal comma and two decimals (`12,50`, `-5,00`: what Dutch Excel reads as a number; no thousands separator) and `…Cents` as a whole number of cents, as the JSON has it.',
  'Moments are ISO 8601 on the clock in the Netherlands, to the second, with their offset (`2026-03-01T10:15:00+01:00`); days are `YYYY-MM-DD`. An empty field is a null.',
  "Against formula injection, text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (and is quoted), so a spreadsheet shows it as text; a negative amount is left a number.",
  'Errors are problem+json as everywhere.',
].join(' ');

/** At most this many data rows in one CSV answer; each export says what it does beyond. */
export const CSV_MAX_ROWS = 10_000;

export interface CsvColumn<Row> {
  /** The header, the name of the JSON field where there is one. */
  name: string;
  value: (row: Row) => string | number | null;
}

/** `1250` → `12,50`; `-5` → `-0,05`. Integers only: money is cents. */
export function euros(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`Not a whole number of cents: ${cents}`);
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/** A column of plain values. */
export const column = <Row>(name: string, value: CsvColumn<Row>['value']): CsvColumn<Row> => ({
  name,
  value,
});

/** An amount in two columns, `<name>Euros` and `<name>Cents`. */
export const moneyColumns = <Row>(name: string, cents: (row: Row) => number | null): CsvColumn<Row>[] => [
  column(`${name}Euros`, (row) => {
    const value = cents(row);
    return value === null ? null : euros(value);
  }),
  column(`${name}Cents`, cents),
];

/** A fraction with a decimal comma and `digits` decimals (`0,7143`); null stays empty. */
export const decimalColumn = <Row>(name: string, digits: number, value: (row: Row) => number | null) =>
  column<Row>(name, (row) => {
    const n = value(row);
    return n === null ? null : n.toFixed(digits).replace('.', ',');
  });

/** A moment (an ISO string as the JSON has it) on the Dutch clock; null stays empty. */
export const instantColumn = <Row>(name: string, at: (row: Row) => string | null): CsvColumn<Row> =>
  column(name, (row) => {
    const value = at(row);
    return value === null ? null : dutchIsoInstant(new Date(value));
  });

/**
 * papaparse's own formula check (`escapeFormulae: true`) would also quote `-12,50`, which Excel
 * then reads as text; this one is the same except for a plain negative amount.
 */
const FORMULA_START = /^(?!-\d+(?:,\d+)?$)[=+\-@\t\r]/;

/** The CSV text: a byte order mark, the header row, every row, each line ended by CRLF. */
export function csvText<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const body = Papa.unparse(
    {
      fields: columns.map((c) => c.name),
      data: rows.map((row) => columns.map((c) => c.value(row))),
    },
    { delimiter: ';', newline: '\r\n', header: true, escapeFormulae: FORMULA_START },
  );
  return `\uFEFF${body}\r\n`;
}

/**
 * Whether the caller asked for CSV (`Accept: text/csv`, weighed against JSON by its q-values);
 * JSON otherwise. Either way the answer varies by `Accept`.
 */
export function wantsCsv(c: Context<AppEnv>): boolean {
  c.header('Vary', 'Accept', { append: true });
  return preferredType(c.req.header('Accept'), ['application/json', 'text/csv']) === 'text/csv';
}

/** The CSV answer, downloaded as `filename` (letters, digits, `.`, `_` and `-` only). */
export function csvAnswer<Row>(
  c: Context<AppEnv>,
  filename: string,
  columns: readonly CsvColumn<Row>[],
  rows: readonly Row[],
) {
  const safe = filename.replace(/[^A-Za-z0-9._-]/g, '_');
  return c.body(csvText(columns, rows), 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${safe}"`,
  });
}

/** The shared schema of every CSV answer: one description of the format in the document. */
export const CsvExportSchema = z.string().openapi('CsvExport', { description: CSV_FORMAT });

/** The `text/csv` content of a route's 200, with its example (written by `csvText`, so it is exact). */
export function csvContent<Row>(example: { columns: readonly CsvColumn<Row>[]; rows: readonly Row[] }) {
  return { 'text/csv': { schema: CsvExportSchema, example: csvText(example.columns, example.rows) } };
}

/** The headers of a CSV answer, for the document. */
export const CSV_HEADERS = {
  'Content-Disposition': {
    description: 'With `Accept: text/csv`: `attachment; filename="…csv"`',
    schema: {
      type: 'string' as const,
      example: 'attachment; filename="vouchers-waalre-2026-01-01-2026-03-31.csv"',
    },
  },
  Vary: {
    description: 'The answer depends on `Accept`',
    schema: { type: 'string' as const, example: 'Accept' },
  },
};
