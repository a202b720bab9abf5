/** Writes the `*.generated.ts` modules from the CSV files in `data/` (run by `npm run data:generate`). */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsePc4Csv } from './csv.ts';
import type { Pc4Columns } from './pc4.ts';

const HEADER = '// Bron: CBS (CC BY 4.0). See data/README.md.';
const read = (csv: string) =>
  readFileSync(fileURLToPath(new URL(`../../data/${csv}`, import.meta.url)), 'utf8');
const write = (module: string, text: string) => {
  const target = fileURLToPath(new URL(`./${module}`, import.meta.url));
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
};

/** The PC4 CSV as columns (see `Pc4Columns`). */
export function pc4Columns(csv: string): Pc4Columns {
  const columns: Pc4Columns = {
    names: [],
    pc4Steps: [],
    place: [],
    municipality: [],
    province: [],
    residents: [],
  };
  const indexes = new Map<string, number>();
  const name = (value: string | null) => {
    if (value === null) return -1;
    let index = indexes.get(value);
    if (index === undefined) {
      index = columns.names.push(value) - 1;
      indexes.set(value, index);
    }
    return index;
  };
  let previous = 0;
  for (const row of parsePc4Csv(csv)) {
    const pc4 = Number(row.pc4);
    if (!(pc4 > previous)) throw new Error(`PC4 data is not in ascending order at ${row.pc4}`);
    columns.pc4Steps.push(pc4 - previous);
    previous = pc4;
    columns.place.push(name(row.place));
    columns.municipality.push(name(row.municipality));
    columns.province.push(name(row.province));
    columns.residents.push(row.residents ?? -1);
  }
  return columns;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  write(
    'pc4-nl.generated.ts',
    `// Generated from packages/lookup/data/pc4-nl.csv by src/cbs/bundle.ts. Do not edit.\n${HEADER}\nimport type { Pc4Columns } from './pc4.ts';\n\nexport const PC4_NL: Pc4Columns = ${JSON.stringify(pc4Columns(read('pc4-nl.csv')))};\n`,
  );
  write(
    'municipalities.generated.ts',
    `// Generated from packages/lookup/data/municipalities.csv by src/cbs/bundle.ts. Do not edit.\n${HEADER}\nexport const MUNICIPALITIES_CSV = ${JSON.stringify(read('municipalities.csv'))};\n`,
  );
}
