import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyMigrations, controlDb, migrations } from '@wijkteams/db';
import { createNodeClient } from '@wijkteams/db/node';
import { allMunicipalities } from '@wijkteams/lookup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTenants } from '../src/index.ts';

let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wt-cli-country-'));
  const control = createNodeClient({ url: 'file:control.db' }, { dataDir, create: true });
  await applyMigrations(control, migrations.control);
  control.close();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const SCRIPT = 'packages/tenants/src/cli/tenants.ts';
const env = () => ({ ...process.env, DATA_DIR: dataDir });

/** Starts `onboard-all` and kills it (SIGKILL, no clean-up) once it has onboarded `after` municipalities. */
function killedPartWay(after: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, 'onboard-all'], {
      cwd: repoRoot,
      env: env(),
    });
    let created = 0;
    let buffered = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      created += lines.filter((line) => line.startsWith('created: ')).length;
      if (created >= after) child.kill('SIGKILL');
    });
    child.once('error', reject);
    child.once('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(created) : reject(new Error('finished before it was killed')),
    );
  });
}

// Two runs over the whole country (353 databases) take a few seconds on an idle machine, and much
// longer where the disk is shared and busy.
const WHOLE_COUNTRY_TIMEOUT_MS = 240_000;

describe('npm run tenants -- onboard-all', () => {
  it('completes on the next run after being killed part way: every CBS municipality active, once', {
    timeout: WHOLE_COUNTRY_TIMEOUT_MS,
  }, async () => {
    const before = await killedPartWay(20);
    expect(before).toBeGreaterThanOrEqual(20);

    const rerun = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, 'onboard-all'], {
      cwd: repoRoot,
      env: env(),
      encoding: 'utf8',
    });
    expect(rerun.stderr).toBe('');
    expect(rerun.status).toBe(0);
    const summary = /^(\d+) created, (\d+) completed, (\d+) already onboarded, 0 not onboarded/m.exec(
      rerun.stdout,
    );
    expect(summary).not.toBeNull();
    const [created, completed, already] = (summary ?? []).slice(1).map(Number) as [number, number, number];
    expect(already).toBeGreaterThanOrEqual(before);
    expect(created + completed + already).toBe(allMunicipalities().length);

    const control = createNodeClient({ url: 'file:control.db' }, { dataDir });
    try {
      const tenants = await listTenants(controlDb(control));
      expect(tenants).toHaveLength(allMunicipalities().length);
      expect(tenants.filter((t) => t.status !== 'active')).toEqual([]);
      expect(new Set(tenants.map((t) => t.municipalityCode)).size).toBe(allMunicipalities().length);
      expect(tenants.find((t) => t.municipalityCode === 'GM0796')?.slug).toBe('s-hertogenbosch');
    } finally {
      control.close();
    }

    const again = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, 'onboard-all'], {
      cwd: repoRoot,
      env: env(),
      encoding: 'utf8',
    });
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^0 created, 0 completed, 353 already onboarded, 0 not onboarded/m);
  });

  it('refuses a concurrency that is not a small whole number with exit 2', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', SCRIPT, 'onboard-all', '--concurrency', '0'],
      {
        cwd: repoRoot,
        env: env(),
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--concurrency/);
  });
});
