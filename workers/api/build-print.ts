/**
 * The documents (src/print/documents.ts: the voucher sheet with pdf-lib and qrcode, the SEPA file
 * with sepa) as one ES module of its own, `src/print/dist/documents.mjs`, which the Worker imports
 * only when a PDF or a bank file is asked for.
 * wrangler uploads it beside the bundle (`find_additional_modules` and `rules` in wrangler.toml)
 * instead of into it: pdf-lib alone is about 180 KB gzipped, and the bundle a fresh isolate loads
 * first has a budget of 300 KB. Run by `npm run build`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export const DOCUMENTS_MODULE = join(import.meta.dirname, 'src/print/dist/documents.mjs');

export async function buildDocuments(): Promise<{ bytes: number; gzipBytes: number }> {
  const result = await build({
    entryPoints: [join(import.meta.dirname, 'src/print/documents.ts')],
    outfile: DOCUMENTS_MODULE,
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
  if (result.errors.length > 0) throw new Error('Building the documents module failed');
  const code = readFileSync(DOCUMENTS_MODULE);
  return { bytes: code.length, gzipBytes: gzipSync(code).length };
}
