/** Writes `pc4-nl.generated.ts` from `data/pc4-nl.csv` (run by `npm run data:generate`). */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../../data/pc4-nl.csv', import.meta.url));
const target = fileURLToPath(new URL('./pc4-nl.generated.ts', import.meta.url));
const csv = readFileSync(source, 'utf8');
writeFileSync(
  target,
  `// Generated from packages/lookup/data/pc4-nl.csv by src/cbs/bundle.ts. Do not edit.\n// Bron: CBS (CC BY 4.0); centroids from 4pp (MIT). See data/README.md.\nexport const PC4_NL_CSV = ${JSON.stringify(csv)};\n`,
);
console.log(`wrote ${target}`);
