import { applyMigrations, migrations, newId } from '@wijkteams/db';
import { createNodeClient } from '@wijkteams/db/node';
import { afterAll, describe, expect, it } from 'vitest';
import { appendToChain, GENESIS_HASH, insertTransfer } from '../src/chain.ts';
import { verifyChain, voucherBatch, voucherCodeFor } from '../src/index.ts';
import { scratchFolder } from './ledger-db.ts';

const folder = scratchFolder('finance-migration');
afterAll(folder.remove);

describe('migration finance', () => {
  it('puts every voucher issued before it in the batch of the command that issued it', async () => {
    const client = createNodeClient({ url: 'file:before.db' }, { dataDir: folder.dir, create: true });
    const upTo = migrations.tenant.findIndex((m) => m.tag.endsWith('_finance'));
    expect(upTo).toBeGreaterThan(0);
    await applyMigrations(client, migrations.tenant.slice(0, upTo));
    // The ledger as it was: two issue commands (keys a and b), written as the code of then wrote them.
    const issuance = newId('acc');
    const holder = newId('acc');
    await client.batch(
      [
        `INSERT INTO ledger_accounts (id, ledger, kind, reference, debits_must_not_exceed_credits)
         VALUES ('${issuance}', 'vouchers', 'issuance', 'system', 0), ('${holder}', 'vouchers', 'holder', 'res-1', 1)`,
      ],
      'write',
    );
    const vouchers = ['AAAAAAAAAAAA', 'BBBBBBBBBBBB', 'CCCCCCCCCCCC'].map((data, i) => ({
      code: voucherCodeFor(data),
      key: i < 2 ? 'a' : 'b',
      leg: i < 2 ? i : 0,
      transferId: newId('tr'),
    }));
    const at = new Date('2026-03-02T09:00:00.000Z');
    const transfers = appendToChain(
      { sequence: 0, hash: GENESIS_HASH, createdAt: '' },
      at,
      vouchers.map((v) => ({
        id: v.transferId,
        debitAccountId: issuance,
        creditAccountId: holder,
        amountCents: 500,
        code: 'issue' as const,
        reference: v.code,
        externalReference: null,
        idempotencyKey: v.key,
        leg: v.leg,
      })),
    );
    await client.batch(
      [
        ...vouchers.map((v) => ({
          sql: `INSERT INTO ledger_vouchers (id, code, holder_account_id, face_value_cents, valid_until, issued_at, issue_transfer_id)
                VALUES (?, ?, ?, 500, '2027-03-02T09:00:00.000Z', ?, ?)`,
          args: [newId('vch'), v.code, holder, at.toISOString(), v.transferId],
        })),
        ...transfers.map((t) => insertTransfer(t, { sql: '1', args: {} })),
      ],
      'write',
    );

    await applyMigrations(client, migrations.tenant);
    const { rows } = await client.execute('SELECT code, batch_id FROM ledger_vouchers ORDER BY code');
    const batchOf = new Map(rows.map((r) => [String(r.code), String(r.batch_id)]));
    const [a1, a2, b] = vouchers.map((v) => batchOf.get(v.code) as string);
    expect(a1).toMatch(/^vb_[0-9a-z]{26}$/);
    expect(a2).toBe(a1);
    expect(b).toMatch(/^vb_[0-9a-z]{26}$/);
    expect(b).not.toBe(a1);
    const ctx = { db: client, clock: () => at };
    expect((await voucherBatch(ctx, a1 as string))?.vouchers.map((v) => v.code)).toEqual([
      vouchers[0]?.code,
      vouchers[1]?.code,
    ]);
    expect((await verifyChain(ctx)).ok).toBe(true);
    client.close();
  });
});
