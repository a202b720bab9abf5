import Papa from 'papaparse';
import { PC4_NL_CSV } from './pc4-nl.generated.ts';

/** A 4-digit postcode area with residents, and the municipality that serves it (CBS, 2022 boundaries). */
export interface Pc4Area {
  pc4: string;
  /** Null where the CBS data says `NA`. */
  place: string | null;
  /** Null for the 21 areas that CBS does not assign to a municipality (`NA` in the data). */
  municipality: string | null;
  province: string | null;
  /** Null where CBS does not publish a count (small areas); otherwise at least 0. */
  residents: number | null;
  lat: number | null;
  lon: number | null;
}

const HEADER = ['pc4', 'place', 'municipality', 'province', 'residents', 'lat', 'lon'];

export function parsePc4Csv(csv: string): Pc4Area[] {
  const { data, errors, meta } = Papa.parse<Record<string, string>>(csv.trim(), { header: true });
  if (errors.length > 0) throw new Error(`PC4 data, row ${errors[0]?.row}: ${errors[0]?.message}`);
  if (meta.fields?.join(',') !== HEADER.join(',')) throw new Error(`Unexpected PC4 header: ${meta.fields}`);
  return data.map((row) => ({
    pc4: row.pc4 ?? '',
    place: known(row.place),
    municipality: known(row.municipality),
    province: known(row.province),
    residents: row.residents ? Number(row.residents) : null,
    lat: row.lat ? Number(row.lat) : null,
    lon: row.lon ? Number(row.lon) : null,
  }));
}

const known = (value: string | undefined) => (value && value !== 'NA' ? value : null);

let cached: Pc4Area[] | undefined;

/** Every PC4 area in the CBS data, parsed once per process or isolate. */
export function nationalPc4Areas(): Pc4Area[] {
  cached ??= parsePc4Csv(PC4_NL_CSV);
  return cached;
}

export function pc4AreasOf(municipality: string): Pc4Area[] {
  return nationalPc4Areas().filter((a) => a.municipality === municipality);
}
