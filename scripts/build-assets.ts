/**
 * `npm run build`: assembles the static assets the Worker serves (Workers Static Assets, see
 * wrangler.toml) into workers/api/public/: the API documentation page with Swagger UI from
 * node_modules (no CDN), and the embeds and page scripts of packages/widget; and the Worker's
 * voucher sheet, a module of its own that it loads when a PDF is asked for (workers/api/build-print.ts).
 * Run before `npm start` and `npm test`.
 */
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { buildWidget } from '@wijkteams/widget/build';
import { buildOnDemand } from '../workers/api/build-on-demand.ts';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'workers/api/public');
const swaggerUi = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'docs'), { recursive: true });
cpSync(join(root, 'workers/api/static'), out, { recursive: true });
for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css'])
  cpSync(join(swaggerUi, file), join(out, 'docs', file));
// /widget.js, /hulpvraag.js, the status page's /status.js and the demo page's /demo.js; fails the
// build when an embed is over its size budget.
await buildWidget(out);
const sheet = await buildOnDemand();
console.log(`assets in ${out}; on-demand module ${(sheet.gzipBytes / 1024).toFixed(0)} KB gzipped`);
