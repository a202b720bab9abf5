import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createNodeClient, tuneEmbedded } from '@wijkteams/db/node';
import { afterAll, describe, expect, it } from 'vitest';
import {
  accountBalance,
  auditBalances,
  grantBudget,
  issueVoucherBatch,
  type LedgerContext,
  redeemVoucher,
  verifyChain,
} from '../src/index.ts';
import { expectStatus, newLedger, scratchFolder } from './ledger-db.ts';

const folder = scratchFolder('concurrency');
afterAll(folder.remove);

/** `n` contexts on the same database file, each with its own client (and so its own connections). */
function parallelContexts(url: string, clock: () => Date, n: number): LedgerContext[] {
  return Array.from({ length: n }, () => ({ db: createNodeClient({ url }, { dataDir: folder.dir }), clock }));
}

describe('concurrent writers on one tenant database', () => {
  it('100 clients redeeming one voucher at once: exactly one ok, 99 already-redeemed', async () => {
    const { ctx, time, url } = await newLedger(folder.dir);
    const batch = expectStatus(
      await issueVoucherBatch(ctx, { holder: 'r', count: 1, idempotencyKey: 'i' }),
      'ok',
    ).body;
    const code = batch.vouchers[0]?.code ?? '';
    const contexts = parallelContexts(url, time.clock, 100);

    const results = await Promise.all(
      contexts.map((c, i) =>
        redeemVoucher(c, {
          code,
          provider: `prov-${i % 5}`,
          idempotencyKey: `k-${i}`,
          requestHash: `h-${i}`,
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'already-redeemed')).toHaveLength(99);

    const [winner] = results.filter((r) => r.status === 'ok') as Extract<
      (typeof results)[number],
      { status: 'ok' }
    >[];
    if (!winner) throw new Error('no redemption succeeded');
    expect(await accountBalance(ctx, batch.accountId)).toMatchObject({ balanceCents: 0 });
    expect(await accountBalance(ctx, winner.body.providerAccountId)).toMatchObject({ balanceCents: 500 });
    expect(await auditBalances(ctx)).toMatchObject({ ok: true, totalCents: 0 });
    expect(await verifyChain(ctx)).toEqual(expect.objectContaining({ ok: true, transfers: 2 }));
    for (const c of contexts) c.db.close();
  });

  it('50 clients each moving value at once all land, one after another, on a single linear chain', async () => {
    const { ctx, time, url } = await newLedger(folder.dir);
    const contexts = parallelContexts(url, time.clock, 50);
    const results = await Promise.all(
      contexts.map((c, i) =>
        i % 2 === 0
          ? grantBudget(c, {
              holder: `pas-${i % 4}`,
              year: 2026,
              amountCents: 100 + i,
              idempotencyKey: `g-${i}`,
            })
          : issueVoucherBatch(c, { holder: `res-${i % 3}`, count: 2, idempotencyKey: `i-${i}` }),
      ),
    );
    expect(results.every((r) => r.status === 'ok')).toBe(true);
    expect(await verifyChain(ctx)).toEqual(expect.objectContaining({ ok: true, transfers: 25 + 25 * 2 }));
    expect(await auditBalances(ctx)).toMatchObject({ ok: true, totalCents: 0 });
    const { rows } = await ctx.db.execute(
      'SELECT MIN(sequence) AS lo, MAX(sequence) AS hi, COUNT(*) AS n FROM ledger_transfers',
    );
    expect(rows[0]).toMatchObject({ lo: 1, hi: 75, n: 75 });
    for (const c of contexts) c.db.close();
  });

  it('the same key sent by 20 clients at once is answered once and replayed to the others', async () => {
    const { ctx, time, url } = await newLedger(folder.dir);
    const contexts = parallelContexts(url, time.clock, 20);
    const results = await Promise.all(
      contexts.map((c) =>
        grantBudget(c, { holder: 'pas-1', year: 2026, amountCents: 2_000, idempotencyKey: 'same' }),
      ),
    );
    const first = results.find((r) => r.status === 'ok');
    expect(results.filter((r) => r.status === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'replay')).toEqual(Array(19).fill({ status: 'replay', first }));
    expect(await verifyChain(ctx)).toEqual(expect.objectContaining({ ok: true, transfers: 1 }));
    for (const c of contexts) c.db.close();
  });

  it('4 processes writing to one file at once (WAL and a busy timeout, as tuneEmbedded sets them)', async () => {
    const { ctx, url } = await newLedger(folder.dir, new Date().toISOString());
    await tuneEmbedded(ctx.db);
    const batch = expectStatus(
      await issueVoucherBatch(ctx, { holder: 'r', count: 1, idempotencyKey: 'i' }),
      'ok',
    ).body;
    const code = batch.vouchers[0]?.code ?? '';
    const writer = fileURLToPath(new URL('./fixtures/writer.ts', import.meta.url));
    const outputs = await Promise.all(
      ['w1', 'w2', 'w3', 'w4'].map((name) =>
        promisify(execFile)(process.execPath, ['--import', 'tsx', writer, folder.dir, url, name, code]),
      ),
    );
    const statuses = outputs.flatMap((o) => JSON.parse(o.stdout) as string[]);
    expect(statuses.filter((s) => s === 'ok')).toHaveLength(4 * 10 * 2 + 1);
    expect(statuses.filter((s) => s === 'already-redeemed')).toHaveLength(4 * 10 - 1);
    expect(await verifyChain(ctx)).toEqual(
      expect.objectContaining({ ok: true, transfers: 1 + 4 * 10 * 2 + 1 }),
    );
    expect(await auditBalances(ctx)).toMatchObject({ ok: true, totalCents: 0 });
  });
});
