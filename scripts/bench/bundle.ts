/**
 * The Worker as `wrangler deploy` would upload it (a dry run: wrangler's own bundling, with the
 * `minify` of wrangler.toml), its size raw and gzipped with the largest parts by package, and how
 * long a fresh isolate takes to answer: a new Miniflare (a new workerd process) started on that
 * bundle, to its first answer of `/health` and of a postcode lookup (database round trips included).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Miniflare } from 'miniflare';
import { startHranaServer } from '../../packages/local/src/hrana/server.ts';
import { workerModules } from './modules.ts';

export interface BundleSize {
  rawBytes: number;
  gzipBytes: number;
  /** The largest contributors to the raw bundle, by package or source folder. */
  parts: { name: string; bytes: number }[];
  /**
   * Modules uploaded beside the bundle (wrangler.toml `rules`), loaded only when first imported:
   * the voucher sheet (pdf-lib, qrcode). Not in what a fresh isolate loads, but part of the upload.
   */
  lazyModules: { name: string; rawBytes: number; gzipBytes: number }[];
}

export interface ColdStart {
  /** From `new Miniflare()` to the first answer of `/health`: workerd start, module load, first request. */
  firstAnswerMs: number;
  /** The first request alone, once the isolate is ready. */
  firstHealthMs: number;
  /** The first postcode lookup after that: tenant, coverage index and their database round trips. */
  firstLookupMs: number;
}

interface Metafile {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
}

/** Bundles with wrangler into a temporary folder; returns the folder (the caller removes it). */
export function wranglerBundle(root: string): string {
  const built = ['workers/api/public', 'workers/api/src/on-demand/dist/on-demand.mjs'];
  if (!built.every((path) => existsSync(join(root, path)))) {
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-assets.ts'], {
      cwd: root,
      stdio: 'ignore',
    });
  }
  const outdir = mkdtempSync(join(tmpdir(), 'wt-bench-wrangler-'));
  const run = spawnSync(
    process.execPath,
    [
      'node_modules/wrangler/bin/wrangler.js',
      'deploy',
      '--dry-run',
      '--outdir',
      outdir,
      '--metafile',
      join(outdir, 'meta.json'),
    ],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
    },
  );
  if (run.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${run.stdout}\n${run.stderr}`);
  return outdir;
}

export function measureBundle(outdir: string): BundleSize {
  const code = readFileSync(join(outdir, 'worker.js'));
  const meta = JSON.parse(readFileSync(join(outdir, 'meta.json'), 'utf8')) as Metafile;
  const output = Object.entries(meta.outputs).find(([name]) => name.endsWith('worker.js'))?.[1];
  const byPart = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const name =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ??
      /((?:packages|workers)\/[^/]+\/src\/[^/.]+)/.exec(input)?.[1] ??
      input;
    byPart.set(name, (byPart.get(name) ?? 0) + bytesInOutput);
  }
  const parts = [...byPart]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 8);
  const lazyModules = readdirSync(outdir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.mjs'))
    .map((name) => {
      const module = readFileSync(join(outdir, name));
      return { name, rawBytes: module.length, gzipBytes: gzipSync(module).length };
    });
  return { rawBytes: code.length, gzipBytes: gzipSync(code).length, parts, lazyModules };
}

/** The median of `runs` fresh workerd processes on the bundle in `outdir`. */
export async function measureColdStart(outdir: string, dataDir: string, runs = 3): Promise<ColdStart> {
  const hrana = await startHranaServer({ dataDir, port: 0 });
  const samples: ColdStart[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const mf = new Miniflare({
        modules: workerModules(outdir, 'worker.js'),
        modulesRoot: outdir,
        compatibilityDate: '2026-04-20',
        durableObjects: { TENANT_LEDGER: { className: 'TenantLedger', useSQLite: true } },
        bindings: { CONTROL_DB_URL: `${hrana.url}/control/`, LOCAL_LIBSQL_GATEWAY: hrana.url },
      });
      try {
        await mf.ready;
        const ready = performance.now();
        const health = await mf.dispatchFetch('http://localhost/health');
        await health.arrayBuffer();
        const answered = performance.now();
        const lookup = await mf.dispatchFetch(
          'http://localhost/v1/groningen/postcodes/9712CP?houseNumber=12',
        );
        await lookup.arrayBuffer();
        if (health.status !== 200 || lookup.status !== 200)
          throw new Error(`cold start answered ${health.status} and ${lookup.status}`);
        samples.push({
          firstAnswerMs: answered - started,
          firstHealthMs: answered - ready,
          firstLookupMs: performance.now() - answered,
        });
      } finally {
        await mf.dispose();
      }
    }
  } finally {
    await hrana.close();
  }
  const median = (pick: (s: ColdStart) => number) =>
    samples.map(pick).sort((a, b) => a - b)[Math.floor(runs / 2)] ?? 0;
  return {
    firstAnswerMs: median((s) => s.firstAnswerMs),
    firstHealthMs: median((s) => s.firstHealthMs),
    firstLookupMs: median((s) => s.firstLookupMs),
  };
}

export function removeBundle(outdir: string): void {
  rmSync(outdir, { recursive: true, force: true });
}
