import { afterAll, describe, expect, it } from 'vitest';
import {
  auditBalances,
  GENESIS_HASH,
  issueVoucherBatch,
  redeemVoucher,
  transferHash,
  verifyChain,
} from '../src/index.ts';
import { expectStatus, newLedger, scratchFolder } from './ledger-db.ts';

const folder = scratchFolder('integrity');
afterAll(folder.remove);

async function ledgerWithHistory() {
  const ledger = await newLedger(folder.dir);
  const batch = expectStatus(
    await issueVoucherBatch(ledger.ctx, { holder: 'r', count: 3, idempotencyKey: 'i' }),
    'ok',
  ).body;
  const code = batch.vouchers[0]?.code ?? '';
  await redeemVoucher(ledger.ctx, { code, provider: 'p', idempotencyKey: 'r', requestHash: 'h' });
  return { ...ledger, batch, code };
}

describe('the database keeps the ledger honest on its own', () => {
  it('refuses to change or remove a transfer', async () => {
    const { ctx } = await ledgerWithHistory();
    await expect(
      ctx.db.execute('UPDATE ledger_transfers SET amount_cents = 1 WHERE sequence = 1'),
    ).rejects.toThrow(/append-only/);
    await expect(ctx.db.execute('DELETE FROM ledger_transfers WHERE sequence = 4')).rejects.toThrow(
      /append-only/,
    );
    await expect(ctx.db.execute("UPDATE ledger_idempotency_keys SET status = 'ok'")).rejects.toThrow(/final/);
    await expect(ctx.db.execute('DELETE FROM ledger_vouchers')).rejects.toThrow(/never removed/);
    await expect(ctx.db.execute('DELETE FROM ledger_accounts')).rejects.toThrow(/never removed/);
  });

  it('refuses to settle a voucher other than by its transfer, and to revive a settled one', async () => {
    const { ctx, batch, code } = await ledgerWithHistory();
    await expect(
      ctx.db.execute({
        sql: "UPDATE ledger_vouchers SET status = 'redeemed' WHERE code = ?",
        args: [batch.vouchers[1]?.code ?? ''],
      }),
    ).rejects.toThrow(/changes only through its transfers/);
    await expect(
      ctx.db.execute({ sql: "UPDATE ledger_vouchers SET status = 'issued' WHERE code = ?", args: [code] }),
    ).rejects.toThrow(/changes only through its transfers/);
    await expect(
      ctx.db.execute({
        sql: 'UPDATE ledger_vouchers SET face_value_cents = 5000 WHERE code = ?',
        args: [batch.vouchers[1]?.code ?? ''],
      }),
    ).rejects.toThrow(/changes only through its transfers/);
    await expect(ctx.db.execute("UPDATE ledger_accounts SET kind = 'issuance'")).rejects.toThrow(
      /only the balance/,
    );
  });

  it('accepts a transfer only at the tail of the chain, between accounts of one ledger, without overdraft', async () => {
    const { ctx, batch } = await ledgerWithHistory();
    const { rows } = await ctx.db.execute(
      'SELECT sequence, hash, created_at FROM ledger_transfers ORDER BY sequence DESC LIMIT 1',
    );
    const tail = rows[0] as unknown as { sequence: number; hash: string; created_at: string };
    const provider = (await ctx.db.execute("SELECT id FROM ledger_accounts WHERE kind = 'provider'")).rows[0]
      ?.id as string;
    const insert = (fields: {
      sequence: number;
      prevHash: string;
      amount: number;
      debit?: string;
      code?: string;
    }) =>
      ctx.db.execute({
        sql: `INSERT INTO ledger_transfers (id, sequence, debit_account_id, credit_account_id, amount_cents, code,
                reference, idempotency_key, leg, created_at, prev_hash, hash)
              VALUES (?, ?, ?, ?, ?, ?, 'manual', NULL, 0, ?, ?, ?)`,
        args: [
          `tr_manual_${fields.sequence}_${fields.amount}`,
          fields.sequence,
          fields.debit ?? batch.accountId,
          provider,
          fields.amount,
          fields.code ?? 'spend',
          tail.created_at,
          fields.prevHash,
          'f'.repeat(64),
        ],
      });
    await expect(insert({ sequence: tail.sequence, prevHash: tail.hash, amount: 1 })).rejects.toThrow(
      /chain_moved/,
    );
    await expect(insert({ sequence: tail.sequence + 1, prevHash: GENESIS_HASH, amount: 1 })).rejects.toThrow(
      /chain_moved/,
    );
    await expect(insert({ sequence: tail.sequence + 2, prevHash: tail.hash, amount: 1 })).rejects.toThrow(
      /chain_moved/,
    );
    await expect(insert({ sequence: tail.sequence + 1, prevHash: tail.hash, amount: 1_001 })).rejects.toThrow(
      /ledger_accounts_no_overdraft/,
    );
    await expect(insert({ sequence: tail.sequence + 1, prevHash: tail.hash, amount: 0 })).rejects.toThrow(
      /positive_amount/,
    );
    await expect(
      insert({ sequence: tail.sequence + 1, prevHash: tail.hash, amount: 1, code: 'redeem' }),
    ).rejects.toThrow(/voucher is not open/);
    expect(await auditBalances(ctx)).toMatchObject({ ok: true });
  });

  it('verifyChain finds the first transfer that was altered behind the triggers back', async () => {
    const { ctx } = await ledgerWithHistory();
    expect(await verifyChain(ctx)).toEqual(expect.objectContaining({ ok: true, transfers: 4 }));
    const second = (await ctx.db.execute('SELECT id FROM ledger_transfers WHERE sequence = 2')).rows[0]?.id;

    await ctx.db.execute('DROP TRIGGER ledger_transfers_no_update');
    await ctx.db.execute('UPDATE ledger_transfers SET amount_cents = 50000 WHERE sequence = 2');
    expect(await verifyChain(ctx)).toEqual({ ok: false, firstBreak: { sequence: 2, id: second } });
    // The cached balances no longer match the transfers either.
    expect((await auditBalances(ctx)).ok).toBe(false);
  });

  it('verifyChain also catches a rehashed row, because the next transfer still links to the old hash', async () => {
    const { ctx } = await ledgerWithHistory();
    const { rows } = await ctx.db.execute('SELECT * FROM ledger_transfers WHERE sequence = 2');
    const row = rows[0] as unknown as Record<string, string | number | null>;
    const forged = {
      sequence: 2,
      id: String(row.id),
      debitAccountId: String(row.debit_account_id),
      creditAccountId: String(row.credit_account_id),
      amountCents: 1,
      code: 'issue' as const,
      reference: String(row.reference),
      externalReference: null,
      idempotencyKey: row.idempotency_key === null ? null : String(row.idempotency_key),
      leg: Number(row.leg),
      createdAt: String(row.created_at),
    };
    const hash = transferHash(String(row.prev_hash), forged);
    await ctx.db.execute('DROP TRIGGER ledger_transfers_no_update');
    await ctx.db.execute({
      sql: 'UPDATE ledger_transfers SET amount_cents = 1, hash = ? WHERE sequence = 2',
      args: [hash],
    });
    const third = (await ctx.db.execute('SELECT id FROM ledger_transfers WHERE sequence = 3')).rows[0]?.id;
    expect(await verifyChain(ctx)).toEqual({ ok: false, firstBreak: { sequence: 3, id: third } });
  });
});
