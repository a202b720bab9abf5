import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The modules of a Worker built into `outdir`, listed for Miniflare rather than found by it:
 * Miniflare's own search (`modules: true`) refuses the Worker's import of the voucher sheet, whose
 * name is in a constant so that no bundler pulls it in (workers/api/src/worker.ts). The main module
 * first, then every module beside it (the voucher sheet, where wrangler put it there).
 */
export function workerModules(outdir: string, main: string) {
  const beside = readdirSync(outdir, { recursive: true, encoding: 'utf8' }).filter((name) =>
    name.endsWith('.mjs'),
  );
  return [main, ...beside].map((name) => ({ type: 'ESModule' as const, path: join(outdir, name) }));
}
