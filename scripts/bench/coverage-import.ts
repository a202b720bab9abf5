/**
 * A whole municipality's coverage through the Worker: `PUT /v1/groningen/postcode-areas` with
 * 50,000 house-number rules as CSV, against the real Worker in workerd (Miniflare) and the local
 * Hrana endpoint, which takes at most 8 MiB per request (Turso limits requests too). Afterwards: every rule is
 * stored, the coverage version moved by exactly one, and no staged rows are left.
 *
 * Runs on its own (`npm run bench:import`) or as part of `npm run bench`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApiKey } from '../../packages/access/src/index.ts';
import { createNodeClient } from '../../packages/db/src/client/node.ts';
import { controlDb } from '../../packages/db/src/index.ts';
import { ensureLocalFleet } from '../../packages/local/src/fleet.ts';
import { pc4AreasOf } from '../../packages/lookup/src/index.ts';

export interface ImportRow {
  rules: number;
  csvBytes: number;
  runs: number;
  medianMs: number;
  minMs: number;
  check: string;
}

const root = resolve(import.meta.dirname, '../..');

async function startWorkerd(dataDir: string): Promise<{ child: ChildProcess; api: string }> {
  const logFile = join(dataDir, 'workerd-import.log');
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/workerd-target.ts'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir },
    stdio: ['ignore', openSync(logFile, 'w'), 'inherit'],
  });
  for (;;) {
    const announced = readFileSync(logFile, 'utf8')
      .split('\n')
      .find((line) => line.startsWith('{"api":'));
    if (announced) return { child, api: (JSON.parse(announced) as { api: string }).api };
    if (child.exitCode !== null) throw new Error(`workerd-target exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** 50,000 rules: PC6 × house-number ranges over Groningen's own PC4 areas. */
function coverageCsv(teamId: string, count: number): string {
  const letters: string[] = [];
  for (let a = 0; a < 26; a++)
    for (let b = 0; b < 26; b++) {
      const pair = String.fromCharCode(65 + a, 65 + b);
      if (!['SA', 'SD', 'SS'].includes(pair)) letters.push(pair);
    }
  const lines = ['teamId,postcode,houseFrom,houseTo,parity'];
  const pc4s = pc4AreasOf('Groningen').map((area) => area.pc4);
  for (let from = 1; lines.length <= count; from += 50)
    for (const pc4 of pc4s)
      for (const pair of letters) {
        if (lines.length > count) break;
        lines.push(`${teamId},${pc4}${pair},${from},${from + 49},all`);
      }
  return `${lines.join('\n')}\n`;
}

export async function benchCoverageImport(
  runs = Number(process.env.BENCH_IMPORT_RUNS ?? 3),
): Promise<ImportRow> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wt-bench-import-'));
  await ensureLocalFleet(dataDir);
  const control = createNodeClient({ url: 'file:control.db' }, { dataDir });
  const tenant = (await control.execute("SELECT id FROM tenants WHERE slug = 'groningen'")).rows[0];
  const { plaintext } = await createApiKey(controlDb(control), {
    tenantId: String(tenant?.id),
    tenantSlug: 'groningen',
    name: 'Coverage import benchmark',
    kind: 'staff',
    scopes: ['tenant:admin'],
    createdBy: 'bench',
  });
  control.close();
  const { child, api } = await startWorkerd(dataDir);
  try {
    const teams = (await (await fetch(`${api}/v1/groningen/teams`)).json()) as { teams: { id: string }[] };
    const csv = coverageCsv(teams.teams[0]?.id ?? '', 50_000);
    const times: number[] = [];
    let lastVersion: number | undefined;
    let versionSteps = true;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const res = await fetch(`${api}/v1/groningen/postcode-areas`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${plaintext}`, 'Content-Type': 'text/csv' },
        body: csv,
      });
      const body = (await res.json()) as { rules: number; version: number };
      times.push(performance.now() - started);
      console.error(`run ${i + 1}: ${res.status} in ${Math.round(times.at(-1) ?? 0)} ms`);
      if (res.status !== 200 || body.rules !== 50_000) throw new Error(`import answered ${res.status}`);
      if (lastVersion !== undefined && body.version !== lastVersion + 1) versionSteps = false;
      lastVersion = body.version;
    }
    const tenantDb = createNodeClient({ url: 'file:tenants/groningen.db' }, { dataDir });
    const stored = Number((await tenantDb.execute('SELECT count(*) AS n FROM coverage_rules')).rows[0]?.n);
    const staged = Number(
      (await tenantDb.execute('SELECT count(*) AS n FROM coverage_rules_staging')).rows[0]?.n,
    );
    tenantDb.close();
    const sorted = [...times].sort((a, b) => a - b);
    return {
      rules: 50_000,
      csvBytes: csv.length,
      runs,
      medianMs: sorted[Math.floor(sorted.length / 2)] ?? 0,
      minMs: sorted[0] ?? 0,
      check: `${stored.toLocaleString('en')} rules stored, ${staged} staged rows left, version +1 per import: ${versionSteps ? 'yes' : 'NO'}`,
    };
  } finally {
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const importTable = (row: ImportRow) =>
  [
    '| import through the Worker (workerd) | CSV | runs | median s | fastest s | checked afterwards |',
    '|---|---:|---:|---:|---:|---|',
    `| ${row.rules.toLocaleString('en')} rules, PUT /v1/{tenant}/postcode-areas | ${(row.csvBytes / 2 ** 20).toFixed(1)} MiB | ${row.runs} | ${(row.medianMs / 1000).toFixed(1)} | ${(row.minMs / 1000).toFixed(1)} | ${row.check} |`,
  ].join('\n');

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(importTable(await benchCoverageImport()));
}
