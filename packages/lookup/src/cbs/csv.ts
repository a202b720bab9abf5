import Papa from 'papaparse';

/** A row of data/pc4-nl.csv as CBS publishes it (the source of the compact data the code ships). */
export interface Pc4CsvRow {
  pc4: string;
  place: string | null;
  municipality: string | null;
  province: string | null;
  residents: number | null;
  lat: number | null;
  lon: number | null;
}

const HEADER = ['pc4', 'place', 'municipality', 'province', 'residents', 'lat', 'lon'];

/** For the generator and the tests, not the Worker: the shipped data is `pc4-nl.generated.ts`. */
export function parsePc4Csv(csv: string): Pc4CsvRow[] {
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
