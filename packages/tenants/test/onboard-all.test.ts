import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, areas, controlDb, migrations, tenantDb } from '@wijkteams/db';
import { createNodeClient } from '@wijkteams/db/node';
import { allMunicipalities, municipalityByName, pc4AreasOf } from '@wijkteams/lookup';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type DatabaseProvisioner,
  listTenants,
  municipalitySlug,
  onboardCountry,
  onboardTenant,
  slugsForMunicipalities,
  TENANT_SLUG_PATTERN,
} from '../src/index.ts';
import { localProvisioner } from '../src/provisioners/local.ts';

describe('municipalitySlug', () => {
  it.each([
    ["'s-Hertogenbosch", 's-hertogenbosch'],
    ["'s-Gravenhage", 's-gravenhage'],
    ['Súdwest-Fryslân', 'sudwest-fryslan'],
    ['Noardeast-Fryslân', 'noardeast-fryslan'],
    ['Bergen (NH.)', 'bergen-nh'],
    ['Bergen (L.)', 'bergen-l'],
    ['Nuenen, Gerwen en Nederwetten', 'nuenen-gerwen-en-nederwetten'],
    ['Groningen', 'groningen'],
  ])('%s → %s', (name, slug) => {
    expect(municipalitySlug(name)).toBe(slug);
  });

  it('gives nothing for a name without letters or for a reserved word', () => {
    expect(municipalitySlug("'s-")).toBeUndefined();
    expect(municipalitySlug('Health')).toBeUndefined();
  });

  it('gives every CBS municipality a distinct valid slug', () => {
    const slugs = [...slugsForMunicipalities(allMunicipalities()).values()];
    expect(slugs).toHaveLength(allMunicipalities().length);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const slug of slugs) expect(slug).toMatch(TENANT_SLUG_PATTERN);
  });

  it('adds the municipality code where the name’s slug is taken or shared', () => {
    const bergen = [
      { code: 'GM0373', name: 'Bergen' },
      { code: 'GM0893', name: 'Bergen!' },
      { code: 'GM0014', name: 'Groningen' },
      { code: 'GM0344', name: 'Utrecht' },
    ];
    expect(Object.fromEntries(slugsForMunicipalities(bergen, new Set(['utrecht'])))).toEqual({
      GM0373: 'bergen-0373',
      GM0893: 'bergen-0893',
      GM0014: 'groningen',
      GM0344: 'utrecht-0344',
    });
  });
});

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'wt-onboard-all-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function context(provisioner: DatabaseProvisioner) {
  const control = createNodeClient({ url: 'file:control.db' }, { dataDir, create: true });
  await applyMigrations(control, migrations.control);
  return { control, provisioner, tenantMigrations: () => migrations.tenant, actor: 'cli', origin: 'cli' };
}

const names = ["'s-Hertogenbosch", 'Súdwest-Fryslân', 'Bergen (NH.)', 'Bergen (L.)', 'Zeist', 'Utrecht'];
const some = names.map((name) => {
  const municipality = municipalityByName(name);
  if (!municipality) throw new Error(name);
  return municipality;
});

describe('onboardCountry', () => {
  it('onboards each municipality with its own database and PC4 areas, and retries a failed one on the next run', async () => {
    const local = localProvisioner(dataDir);
    const broken = new Set(['sudwest-fryslan']);
    const flaky: DatabaseProvisioner = {
      create: async (slug) => {
        if (broken.has(slug)) throw new Error('database service unavailable');
        return local.create(slug);
      },
      open: local.open,
    };
    const ctx = await context(flaky);
    // Zeist is a tenant already, under a slug of its own choosing.
    await onboardTenant(ctx, { slug: 'zeist-gemeente', name: 'Gemeente Zeist', municipalityCode: 'GM0355' });

    const first = await onboardCountry(ctx, { municipalities: some, concurrency: 3 });
    expect(first.alreadyOnboarded).toBe(1);
    expect(Object.fromEntries(first.outcomes.map((o) => [o.request.slug, o.outcome.status]))).toEqual({
      's-hertogenbosch': 'created',
      'sudwest-fryslan': 'failed',
      'bergen-nh': 'created',
      'bergen-l': 'created',
      utrecht: 'created',
    });

    broken.clear();
    const second = await onboardCountry(ctx, { municipalities: some });
    expect(second.alreadyOnboarded).toBe(5);
    expect(second.outcomes.map((o) => [o.request.slug, o.request.name, o.outcome.status])).toEqual([
      ['sudwest-fryslan', 'Gemeente Súdwest-Fryslân', 'completed'],
    ]);

    const tenants = await listTenants(controlDb(ctx.control));
    expect(tenants.map((t) => [t.slug, t.status])).toEqual([
      ['bergen-l', 'active'],
      ['bergen-nh', 'active'],
      ['s-hertogenbosch', 'active'],
      ['sudwest-fryslan', 'active'],
      ['utrecht', 'active'],
      ['zeist-gemeente', 'active'],
    ]);
    for (const tenant of tenants) {
      const client = local.open(tenant.databaseUrl);
      try {
        const cbsName = some.find((m) => m.code === tenant.municipalityCode)?.name ?? '';
        expect(await tenantDb(client).$count(areas)).toBe(pc4AreasOf(cbsName).length);
      } finally {
        client.close();
      }
    }
    expect(await onboardCountry(ctx, { municipalities: some })).toEqual({
      alreadyOnboarded: 6,
      outcomes: [],
    });
  });

  it('completes a tenant a cut-off run left provisioning, under its registered slug and name', async () => {
    const local = localProvisioner(dataDir);
    const ctx = await context(local);
    const utrecht = some.filter((m) => m.name === 'Utrecht');
    // What a run killed between registering the tenant and creating its database leaves behind.
    const stuck = { ...ctx, provisioner: { ...local, create: () => new Promise<string>(() => {}) } };
    void onboardCountry(stuck, { municipalities: utrecht });
    for (let i = 0; i < 100 && (await listTenants(controlDb(ctx.control))).length === 0; i++)
      await new Promise((resolve) => setImmediate(resolve));
    expect((await listTenants(controlDb(ctx.control))).map((t) => t.status)).toEqual(['provisioning']);

    const resumed = await onboardCountry(ctx, { municipalities: utrecht });
    expect(resumed.outcomes.map((o) => [o.request.slug, o.outcome.status])).toEqual([
      ['utrecht', 'completed'],
    ]);
    expect((await listTenants(controlDb(ctx.control))).map((t) => t.status)).toEqual(['active']);
  });
});
