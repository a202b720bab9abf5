import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listAudit } from '@wijkteams/access';
import { applyMigrations, areas, controlDb, migrations, tenantDb } from '@wijkteams/db';
import { createNodeClient } from '@wijkteams/db/node';
import { pc4AreasOf } from '@wijkteams/lookup';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type DatabaseProvisioner,
  findTenant,
  listTenants,
  onboardTenant,
  setTenantSuspended,
} from '../src/index.ts';
import { localProvisioner } from '../src/provisioners/local.ts';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'wt-onboard-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function context(provisioner: DatabaseProvisioner = localProvisioner(dataDir)) {
  const control = createNodeClient({ url: 'file:control.db' }, { dataDir, create: true });
  await applyMigrations(control, migrations.control);
  return {
    control,
    provisioner,
    tenantMigrations: () => migrations.tenant,
    actor: 'platform-admin',
    origin: '127.0.0.1',
  };
}

const utrecht = { slug: 'utrecht', name: 'Gemeente Utrecht', municipalityCode: 'GM0344' };

describe('onboardTenant', () => {
  it('creates the tenant’s own database, migrated and seeded with its CBS PC4 areas, and audits it', async () => {
    const ctx = await context();
    const outcome = await onboardTenant(ctx, utrecht);
    expect(outcome).toMatchObject({ status: 'created', tenant: { slug: 'utrecht', status: 'active' } });
    if (outcome.status !== 'created') return;
    const db = tenantDb(ctx.provisioner.open(outcome.tenant.databaseUrl));
    expect(await db.$count(areas)).toBe(pc4AreasOf('Utrecht').length);
    expect(pc4AreasOf('Utrecht').length).toBeGreaterThan(20);
    const events = await listAudit(controlDb(ctx.control));
    expect(events).toEqual([
      expect.objectContaining({
        action: 'tenant.created',
        actor: 'platform-admin',
        origin: '127.0.0.1',
        result: 'success',
      }),
    ]);
  });

  it('answers the same request again with the same tenant, changing nothing', async () => {
    const ctx = await context();
    const first = await onboardTenant(ctx, utrecht);
    const again = await onboardTenant(ctx, utrecht);
    expect(again.status).toBe('unchanged');
    if (first.status === 'created' && again.status === 'unchanged')
      expect(again.tenant.id).toBe(first.tenant.id);
    expect(await listTenants(controlDb(ctx.control))).toHaveLength(1);
  });

  it('refuses the same slug with another body, and a municipality that already has a tenant', async () => {
    const ctx = await context();
    await onboardTenant(ctx, utrecht);
    expect(await onboardTenant(ctx, { ...utrecht, name: 'Utrecht (other)' })).toMatchObject({
      status: 'conflict',
    });
    expect(await onboardTenant(ctx, { ...utrecht, slug: 'utrecht-2' })).toMatchObject({ status: 'conflict' });
    expect((await findTenant(controlDb(ctx.control), 'utrecht'))?.name).toBe('Gemeente Utrecht');
    expect(await findTenant(controlDb(ctx.control), 'utrecht-2')).toBeUndefined();
  });

  it('refuses a code that is not a CBS municipality', async () => {
    const ctx = await context();
    expect(await onboardTenant(ctx, { ...utrecht, municipalityCode: 'GM9999' })).toMatchObject({
      status: 'unknown-municipality',
    });
    expect(await listTenants(controlDb(ctx.control))).toHaveLength(0);
  });

  it('leaves a failed tenant visible with its reason when creating the database fails, and a rerun completes it', async () => {
    const local = localProvisioner(dataDir);
    let outage = true;
    const flaky: DatabaseProvisioner = {
      create: async (slug) => {
        if (outage) throw new Error('database service unavailable');
        return local.create(slug);
      },
      open: local.open,
    };
    const ctx = await context(flaky);
    const failed = await onboardTenant(ctx, utrecht);
    expect(failed).toMatchObject({ status: 'failed', tenant: { status: 'failed' } });
    expect(await findTenant(controlDb(ctx.control), 'utrecht')).toMatchObject({
      status: 'failed',
      lastError: 'Error: database service unavailable',
    });

    outage = false;
    const completed = await onboardTenant(ctx, utrecht);
    expect(completed).toMatchObject({ status: 'completed', tenant: { status: 'active', lastError: null } });
    expect(await listTenants(controlDb(ctx.control))).toHaveLength(1);
  });

  it('suspends and reactivates a tenant, each step audited', async () => {
    const ctx = await context();
    await onboardTenant(ctx, utrecht);
    expect((await setTenantSuspended(ctx, 'utrecht', true))?.status).toBe('suspended');
    expect((await setTenantSuspended(ctx, 'utrecht', false))?.status).toBe('active');
    expect(await setTenantSuspended(ctx, 'nowhere', true)).toBeUndefined();
    const actions = (await listAudit(controlDb(ctx.control))).map((e) => e.action);
    expect(actions).toEqual(['tenant.reactivated', 'tenant.suspended', 'tenant.created']);
  });
});

describe('the audit log', () => {
  it('is append-only: rows cannot be changed or deleted', async () => {
    const ctx = await context();
    await onboardTenant(ctx, utrecht);
    await expect(ctx.control.execute("UPDATE audit_events SET actor = 'someone else'")).rejects.toThrow(
      /append-only/,
    );
    await expect(ctx.control.execute('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    expect(await listAudit(controlDb(ctx.control))).toHaveLength(1);
  });
});
