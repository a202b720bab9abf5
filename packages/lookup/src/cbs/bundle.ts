/** Writes the `*.generated.ts` modules from the CSV files in `data/` (run by `npm run data:generate`). */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FILES = [
  { csv: 'pc4-nl.csv', module: 'pc4-nl.generated.ts', constant: 'PC4_NL_CSV' },
  { csv: 'municipalities.csv', module: 'municipalities.generated.ts', constant: 'MUNICIPALITIES_CSV' },
];

for (const file of FILES) {
  const csv = readFileSync(fileURLToPath(new URL(`../../data/${file.csv}`, import.meta.url)), 'utf8');
  const target = fileURLToPath(new URL(`./${file.module}`, import.meta.url));
  writeFileSync(
    target,
    `// Generated from packages/lookup/data/${file.csv} by src/cbs/bundle.ts. Do not edit.\n// Bron: CBS (CC BY 4.0). See data/README.md.\nexport const ${file.constant} = ${JSON.stringify(csv)};\n`,
  );
  console.log(`wrote ${target}`);
}
