import { applyMigrations, migrations } from '@wijkteams/db';
import { createNodeClient } from '@wijkteams/db/node';
import { afterAll, describe, expect, it } from 'vitest';
import {
  auditBalances,
  grantBudget,
  issueVoucherBatch,
  redeemVoucher,
  spendBudget,
  verifyChain,
} from '../src/index.ts';
import { expectStatus, manualClock, scratchFolder } from './ledger-db.ts';

const folder = scratchFolder('providers-migration');
afterAll(folder.remove);

describe('migration providers_from_ledger', () => {
  it('makes every provider account that redemptions opened by name a registered provider, keeping every balance and the chain', async () => {
    const client = createNodeClient({ url: 'file:before.db' }, { dataDir: folder.dir, create: true });
    // The history is written by today's ledger code (so on today's schema), as the ledger wrote it
    // before providers were registered: redemptions and spends open provider accounts by name only.
    const migration = migrations.tenant.find((m) => m.tag.endsWith('_providers_from_ledger'));
    if (!migration) throw new Error('no migration providers_from_ledger');
    await applyMigrations(client, migrations.tenant);
    const time = manualClock();
    const ctx = { db: client, clock: time.clock };
    const batch = expectStatus(
      await issueVoucherBatch(ctx, { holder: 'res-1', count: 3, idempotencyKey: 'i1' }),
      'ok',
    ).body;
    for (const [i, provider] of ['prv-klusbedrijf', 'prv-klusbedrijf', 'prv-some-other-company'].entries()) {
      await redeemVoucher(ctx, { code: batch.vouchers[i]?.code ?? '', provider, idempotencyKey: `r${i}` });
    }
    expectStatus(
      await grantBudget(ctx, { holder: 'pas-1', amountCents: 10_000, year: 2026, idempotencyKey: 'g' }),
      'ok',
    );
    expectStatus(
      await spendBudget(ctx, {
        holder: 'pas-1',
        provider: 'prv-zwembad',
        amountCents: 2_500,
        year: 2026,
        idempotencyKey: 's',
      }),
      'ok',
    );
    const balances = async () =>
      (
        await client.execute(
          `SELECT ledger, reference, balance_cents FROM ledger_accounts WHERE kind = 'provider' ORDER BY ledger, reference`,
        )
      ).rows.map((r) => `${r.ledger} ${r.reference} ${r.balance_cents}`);
    const before = await balances();

    for (const statement of migration.statements) await client.execute(statement);
    const providers = (
      await client.execute('SELECT id, name, tier, active FROM triage_providers ORDER BY id')
    ).rows;
    expect(providers.map((p) => `${p.id} ${p.name} ${p.tier} ${p.active}`)).toEqual([
      'prv-klusbedrijf prv-klusbedrijf company 1',
      'prv-some-other-company prv-some-other-company company 1',
      'prv-zwembad prv-zwembad company 1',
    ]);
    // No balance moved; the budget provider now also has a voucher account (empty).
    expect((await balances()).filter((b) => !b.startsWith('vouchers prv-zwembad'))).toEqual(before);
    expect(await balances()).toContain('vouchers prv-zwembad 0');
    expect((await verifyChain(ctx)).ok).toBe(true);
    expect((await auditBalances(ctx)).ok).toBe(true);
    client.close();
  });
});
