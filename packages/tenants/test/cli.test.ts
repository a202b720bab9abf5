import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkApiKey, keyByHash, listAudit } from '@wijkteams/access';
import { applyMigrations, controlDb, migrations, sha256Hex } from '@wijkteams/db';
import { createNodeClient } from '@wijkteams/db/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The CLIs run as child processes, as `npm run tenants` and `npm run keys` do, against one data
// folder; the tests below build on each other in order (a tenant, then its keys, then the audit log).
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wt-cli-'));
  const control = createNodeClient({ url: 'file:control.db' }, { dataDir, create: true });
  await applyMigrations(control, migrations.control);
  control.close();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

function run(script: string, args: string[], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATA_DIR: dataDir, ...env },
    encoding: 'utf8',
  });
}
const tenants = (...args: string[]) => run('packages/tenants/src/cli/tenants.ts', args);
const keys = (...args: string[]) => run('packages/tenants/src/cli/keys.ts', args);

/** The rows of a printed table, as objects keyed by its header. */
function table(stdout: string): Record<string, string>[] {
  const [header, ...lines] = stdout.trimEnd().split('\n');
  const columns = (header ?? '').split(/ {2,}/);
  return lines.map((line) => Object.fromEntries(line.split(/ {2,}/).map((cell, i) => [columns[i], cell])));
}

async function withControl<T>(work: (db: ReturnType<typeof controlDb>) => Promise<T>): Promise<T> {
  const client = createNodeClient({ url: 'file:control.db' }, { dataDir });
  try {
    return await work(controlDb(client));
  } finally {
    client.close();
  }
}

const KEY = /wt_partner_utrecht_[0-9A-Za-z]{43}/g;
let plaintext = '';
let keyId = '';

describe('npm run tenants', () => {
  it('onboards a municipality, lists it as active, and refuses the slug with other details', () => {
    const created = tenants('create', '--slug', 'utrecht', '--name', 'Gemeente Utrecht', '--code', 'GM0344');
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    expect(created.stdout).toMatch(/^created: utrecht/);

    const listed = tenants('list');
    expect(listed.status).toBe(0);
    expect(table(listed.stdout)).toEqual([
      { SLUG: 'utrecht', NAME: 'Gemeente Utrecht', CODE: 'GM0344', STATUS: 'active' },
    ]);

    const replay = tenants('create', '--slug', 'utrecht', '--name', 'Gemeente Utrecht', '--code', 'GM0344');
    expect(replay.status).toBe(0);
    expect(replay.stdout).toMatch(/^unchanged: utrecht/);

    const conflict = tenants('create', '--slug', 'utrecht', '--name', 'Stad Utrecht', '--code', 'GM0344');
    expect(conflict.status).toBe(1);
    expect(conflict.stdout).toBe('');
    expect(conflict.stderr).toMatch(/conflict: .*utrecht.* other details/);

    const unknown = tenants('create', '--slug', 'nergens', '--name', 'Nergens', '--code', 'GM9999');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/GM9999 is not a CBS municipality code/);
  });

  it('shows one tenant as JSON with its database URL and no request hash', () => {
    const shown = tenants('show', 'utrecht');
    expect(shown.status).toBe(0);
    const tenant = JSON.parse(shown.stdout);
    expect(tenant).toMatchObject({
      slug: 'utrecht',
      municipalityCode: 'GM0344',
      status: 'active',
      databaseUrl: 'file:tenants/utrecht.db',
    });
    expect(tenant).not.toHaveProperty('requestHash');
  });

  it('suspends and resumes a tenant, and sets its CORS origins keeping the other settings', () => {
    expect(tenants('suspend', 'utrecht').status).toBe(0);
    expect(table(tenants('list').stdout)[0]?.STATUS).toBe('suspended');
    expect(tenants('resume', 'utrecht').status).toBe(0);
    expect(table(tenants('list').stdout)[0]?.STATUS).toBe('active');

    expect(tenants('set-cors', 'utrecht', 'https://www.utrecht.nl', 'http://localhost:5173').status).toBe(0);
    expect(JSON.parse(tenants('show', 'utrecht').stdout).settings).toEqual({
      corsOrigins: ['https://www.utrecht.nl', 'http://localhost:5173'],
    });
    expect(tenants('set-cors', 'utrecht', 'https://www.utrecht.nl/path').status).toBe(2);
  });

  it('answers usage errors with exit 2 and the usage on stderr, an unknown tenant with exit 1', () => {
    for (const args of [['frobnicate'], [], ['list', '--bogus'], ['create', '--slug', 'x']]) {
      const result = tenants(...args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('Usage: npm run tenants');
      expect(result.stdout).toBe('');
    }
    const help = tenants('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('set-cors <slug> <origin>...');

    for (const args of [
      ['show', 'zeist'],
      ['suspend', 'zeist'],
    ]) {
      const result = tenants(...args);
      expect(result.status).toBe(1);
      expect(result.stderr.trim()).toBe("Error: There is no tenant 'zeist'");
    }
  });

  it('reports a missing control database in one line, without a stack trace', () => {
    const result = run('packages/tenants/src/cli/tenants.ts', ['list'], { DATA_DIR: join(dataDir, 'none') });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Error: No database file at /)]);
  });
});

describe('npm run keys', () => {
  it('creates a key and prints it once, labelled, with its id', async () => {
    const created = keys(
      'create',
      '--tenant',
      'utrecht',
      '--name',
      'Huisartsenpraktijk De Linde',
      '--scopes',
      'requests:read,requests:write',
    );
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const printed = created.stdout.match(KEY) ?? [];
    expect(printed).toHaveLength(1);
    plaintext = printed[0] as string;
    expect(created.stdout.split('\n')).toContain(plaintext);
    expect(plaintext).toMatch(/^wt_partner_utrecht_[0-9A-Za-z]{43}$/);
    expect(created.stdout).toMatch(/API key \(shown only this once/);
    keyId = /key_[0-9a-z]{26}/.exec(created.stdout)?.[0] ?? '';
    expect(keyId).not.toBe('');

    // The printed key is the one stored (by its hash), for this tenant, with these scopes.
    const check = await withControl((db) => checkApiKey(keyByHash(db), plaintext, new Date()));
    expect(check).toMatchObject({
      ok: true,
      key: { id: keyId, kind: 'partner', scopes: ['requests:read', 'requests:write'], createdBy: 'cli' },
    });
  });

  it('refuses unknown scopes and kinds with exit 2, an unknown tenant with exit 1', () => {
    const base = ['create', '--tenant', 'utrecht', '--name', 'Partner'];
    const badScope = keys(...base, '--scopes', 'requests:read,everything');
    expect(badScope.status).toBe(2);
    expect(badScope.stderr).toMatch(/unknown everything/);
    expect(keys(...base, '--scopes', 'requests:read', '--kind', 'root').status).toBe(2);
    expect(keys(...base, '--scopes', 'requests:read', '--expires', '2001-01-01T00:00:00Z').status).toBe(2);
    expect(keys('list').status).toBe(2);
    const unknown = keys('list', '--tenant', 'zeist');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.trim()).toBe("Error: There is no tenant 'zeist'");
  });

  it('lists the key by its prefix, never the key or its hash', async () => {
    const listed = keys('list', '--tenant', 'utrecht');
    expect(listed.status).toBe(0);
    const [row, ...others] = table(listed.stdout);
    expect(others).toEqual([]);
    expect(row).toMatchObject({
      ID: keyId,
      NAME: 'Huisartsenpraktijk De Linde',
      KIND: 'partner',
      PREFIX: plaintext.slice(0, 'wt_partner_utrecht_'.length + 4),
      SCOPES: 'requests:read,requests:write',
      REVOKED: '-',
      'LAST USED': '-',
    });
    expect(listed.stdout).not.toContain(plaintext);
    expect(listed.stdout).not.toContain(sha256Hex(plaintext));
  });

  it('revokes the key: the list shows when, and the key no longer works', async () => {
    const revoked = keys('revoke', '--tenant', 'utrecht', '--id', keyId);
    expect(revoked.status).toBe(0);
    const row = table(keys('list', '--tenant', 'utrecht').stdout)[0];
    expect(row?.REVOKED).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const check = await withControl((db) => checkApiKey(keyByHash(db), plaintext, new Date()));
    expect(check).toEqual({ ok: false, reason: 'revoked' });

    const missing = keys('revoke', '--tenant', 'utrecht', '--id', 'key_00000000000000000000000000');
    expect(missing.status).toBe(1);
  });
});

describe('the audit log', () => {
  it('records what the CLIs did, as actor and origin cli', async () => {
    const events = await withControl((db) => listAudit(db));
    const byCli = (action: string, objectId?: string) =>
      expect.objectContaining({
        action,
        actor: 'cli',
        origin: 'cli',
        result: 'success',
        ...(objectId ? { objectType: 'api-key', objectId } : {}),
      });
    expect(events).toEqual(
      expect.arrayContaining([
        byCli('tenant.created'),
        byCli('tenant.suspended'),
        byCli('tenant.reactivated'),
        byCli('key.created', keyId),
        byCli('key.revoked', keyId),
      ]),
    );
    expect(events.filter((e) => e.action === 'key.created')).toHaveLength(1);
    expect(events.every((e) => e.actor === 'cli')).toBe(true);
    expect(JSON.stringify(events)).not.toContain(plaintext);
  });
});
