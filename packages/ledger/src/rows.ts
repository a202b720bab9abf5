import type { ResultSet, Row } from '@libsql/client';

/** Typed reads of result rows; a wrong type is a schema mismatch, so it throws. */
export function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw new TypeError(`Expected text in ${column}, got ${typeof value}`);
  return value;
}

export function textOrNull(row: Row, column: string): string | null {
  return row[column] === null ? null : text(row, column);
}

export function int(row: Row, column: string): number {
  const value = row[column];
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`Expected an integer in ${column}, got ${String(value)}`);
  }
  return value;
}

/** The row of an aggregate query, which always has one. */
export function aggregateRow(rs: ResultSet | undefined): Row {
  const row = rs?.rows[0];
  if (!row) throw new Error('An aggregate query returned no row');
  return row;
}

/** The rows of a result by the text of one column (a key or a code). */
export function rowsBy(rs: ResultSet | undefined, column: string): Map<string, Row> {
  return new Map((rs?.rows ?? []).map((row) => [text(row, column), row]));
}
