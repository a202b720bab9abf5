import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@libsql/client';
import { applyMigrations, areas, controlDb, coverageRules, migrations, teams, tenantDb } from '@wijkteams/db';
import { createNodeClient } from '@wijkteams/db/node';
import { pc4AreasOf } from '@wijkteams/lookup';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type DatabaseProvisioner,
  findTenant,
  listTenants,
  MUNICIPALITIES,
  provisionTenant,
} from '../src/index.ts';
import { localProvisioner } from '../src/provisioners/local.ts';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'wt-provision-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function controlClient() {
  const control = createNodeClient({ url: 'file:control.db' }, { dataDir, create: true });
  await applyMigrations(control, migrations.control);
  return control;
}

/** What provisioning is given, as the CLI gives it. */
const provisionContext = (control: Client, provisioner: DatabaseProvisioner) => ({
  control,
  provisioner,
  tenantMigrations: () => migrations.tenant,
  actor: 'system',
  origin: 'test',
});

describe('the launch municipalities', () => {
  it('each have at least two teams of their own kinds and one default intake team', () => {
    expect(MUNICIPALITIES.map((m) => m.slug).sort()).toEqual([
      'alkmaar',
      'groningen',
      'noordoostpolder',
      'waalre',
      'zeist',
    ]);
    for (const m of MUNICIPALITIES) {
      expect(m.teams.length).toBeGreaterThanOrEqual(2);
      expect(m.teams.filter((t) => t.isDefaultIntake)).toHaveLength(1);
    }
  });

  it.each(MUNICIPALITIES.map((m) => [m.slug, m] as const))(
    '%s: every CBS PC4 area is covered by exactly one team',
    (_slug, m) => {
      const covered = m.teams.flatMap((t) => t.pc4s).sort();
      expect(covered).toEqual(
        pc4AreasOf(m.cbsName)
          .map((a) => a.pc4)
          .sort(),
      );
    },
  );
});

describe('provisionTenant', () => {
  it('creates, migrates and seeds a tenant database, and a second run changes nothing', async () => {
    const control = await controlClient();
    const provisioner = localProvisioner(dataDir);
    const groningen = MUNICIPALITIES.find((m) => m.slug === 'groningen');
    if (!groningen) throw new Error('no groningen seed');

    const ctx = provisionContext(control, provisioner);
    const tenant = await provisionTenant(ctx, groningen);
    expect(tenant).toMatchObject({ slug: 'groningen', municipalityCode: 'GM0014', status: 'active' });
    await provisionTenant(ctx, groningen);

    const db = tenantDb(provisioner.open(tenant.databaseUrl));
    expect(await db.$count(teams)).toBe(groningen.teams.length);
    expect(await db.$count(areas)).toBe(48);
    expect(await db.$count(coverageRules)).toBe(48);
    const seeded = await db.select().from(teams);
    expect(seeded.every((t) => t.isExample)).toBe(true);
    expect(await listTenants(controlDb(control))).toHaveLength(1);
  });

  it('marks a tenant failed when seeding breaks, and a rerun completes it', async () => {
    const control = await controlClient();
    const provisioner = localProvisioner(dataDir);
    const waalre = MUNICIPALITIES.find((m) => m.slug === 'waalre');
    if (!waalre) throw new Error('no waalre seed');
    const broken = { ...waalre, teams: [{ ...waalre.teams[0], kind: 'wij-team', pc4s: ['5581', '5581'] }] };
    // The same PC4 twice for one team is fine for the schema, so break it differently: a team
    // without a name violates NOT NULL and aborts the seed batch.
    (broken.teams[0] as { name: unknown }).name = null;

    const ctx = provisionContext(control, provisioner);
    await expect(provisionTenant(ctx, broken as typeof waalre)).rejects.toThrow();
    expect(await findTenant(controlDb(control), 'waalre')).toMatchObject({
      status: 'failed',
      lastError: expect.stringMatching(/NOT NULL/),
    });
    const db = tenantDb(provisioner.open('file:tenants/waalre.db'));
    expect(await db.$count(areas)).toBe(0);

    const tenant = await provisionTenant(ctx, waalre);
    expect(tenant).toMatchObject({ status: 'active', lastError: null });
    expect(await db.$count(teams)).toBe(2);
    expect(await db.$count(areas)).toBe(3);
  });
});
