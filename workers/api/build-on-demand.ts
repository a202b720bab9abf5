/**
 * What few requests need (src/on-demand/index.ts: the voucher sheet with pdf-lib and qrcode, the
 * SEPA file with sepa, the tenant migrations) as one ES module of its own,
 * `src/on-demand/dist/on-demand.mjs`, which the Worker imports only when one of them is asked for.
 * wrangler uploads it beside the bundle (`find_additional_modules` and `rules` in wrangler.toml)
 * instead of into it: pdf-lib alone is about 180 KB gzipped, and the bundle a fresh isolate loads
 * first has a budget of 300 KB. Run by `npm run build`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export const ON_DEMAND_MODULE = join(import.meta.dirname, 'src/on-demand/dist/on-demand.mjs');

export async function buildOnDemand(): Promise<{ bytes: number; gzipBytes: number }> {
  const result = await build({
    entryPoints: [join(import.meta.dirname, 'src/on-demand/index.ts')],
    outfile: ON_DEMAND_MODULE,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // As wrangler resolves packages for workerd.
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    minify: true,
    write: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  if (result.errors.length > 0) throw new Error('Building the on-demand module failed');
  const code = readFileSync(ON_DEMAND_MODULE);
  return { bytes: code.length, gzipBytes: gzipSync(code).length };
}
