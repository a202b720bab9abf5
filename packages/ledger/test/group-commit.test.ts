import type { Client, InStatement } from '@libsql/client';
import { createNodeClient } from '@wijkteams/db/node';
import { afterAll, describe, expect, it } from 'vitest';
import {
  auditBalances,
  expireVouchers,
  groupCommitter,
  issueVoucherBatch,
  type LedgerContext,
  type RedeemResult,
  redeemVoucher,
  serialQueue,
  verifyChain,
  voidVoucher,
} from '../src/index.ts';
import { DAY, expectStatus, newLedger, scratchFolder } from './ledger-db.ts';

const folder = scratchFolder('group');
afterAll(folder.remove);

const UNKNOWN_CODE = '0000-0000-0000-0';

/** Counts the write batches a client runs, and can run something right after a read batch. */
function instrumented(db: Client) {
  const stats = { writes: 0, afterRead: null as null | (() => Promise<void>) };
  const proxy = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'batch') {
        return async (stmts: InStatement[], mode?: 'read' | 'write') => {
          if (mode === 'write') stats.writes += 1;
          const result = await target.batch(stmts, mode);
          if (mode === 'read' && stats.afterRead && stmts.length > 3) {
            const hook = stats.afterRead;
            stats.afterRead = null;
            await hook();
          }
          return result;
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db: proxy as Client, stats };
}

/**
 * A tenant with 6 vouchers: 0–2 issued, 3 voided, 4 expired by the sweep, 5 past its validity but
 * not swept yet.
 */
async function tenant() {
  const ledger = await newLedger(folder.dir, '2026-03-02T09:00:00.000Z');
  const { ctx, time } = ledger;
  const long = expectStatus(
    await issueVoucherBatch(ctx, { holder: 'res-1', count: 4, idempotencyKey: 'i1' }),
    'ok',
  );
  const short = expectStatus(
    await issueVoucherBatch(ctx, {
      holder: 'res-2',
      count: 2,
      idempotencyKey: 'i2',
      validUntil: new Date('2026-03-05T09:00:00.000Z'),
    }),
    'ok',
  );
  const codes = [...long.body.vouchers, ...short.body.vouchers].map((v) => v.code);
  expectStatus(await voidVoucher(ctx, { code: codes[3] ?? '', reason: 'lost', idempotencyKey: 'v1' }), 'ok');
  time.advance(4 * DAY);
  const swept = await expireVouchers(ctx, { now: new Date('2026-03-06T00:00:00.000Z') });
  expect(swept).toBeDefined();
  return { ...ledger, codes };
}

/** Requests by voucher index (codes differ per tenant); -1 is a code that was never issued. */
const REQUESTS: { voucher: number; provider: string; key: string; ref?: string }[] = [
  { voucher: 0, provider: 'p1', key: 'a' },
  { voucher: 0, provider: 'p2', key: 'b' }, // same voucher again: already-redeemed
  { voucher: 1, provider: 'p1', key: 'c' },
  { voucher: 3, provider: 'p1', key: 'd' }, // voided
  { voucher: 4, provider: 'p2', key: 'e' }, // expired by the sweep
  { voucher: 5, provider: 'p2', key: 'f' }, // past its validity
  { voucher: -1, provider: 'p1', key: 'g' }, // not found
  { voucher: 0, provider: 'p3', key: 'h' }, // the same voucher a third time
  { voucher: 2, provider: 'p3', key: 'i' },
  { voucher: 1, provider: 'p1', key: 'c' }, // the same key and request: replay
  { voucher: 2, provider: 'p1', key: 'a' }, // the same key, another request: conflict
  { voucher: 3, provider: 'p1', key: 'd' }, // replay of a refusal
];

function send(ctx: LedgerContext, codes: string[], r: (typeof REQUESTS)[number]) {
  const code = r.voucher < 0 ? UNKNOWN_CODE : (codes[r.voucher] ?? '');
  return redeemVoucher(ctx, {
    code,
    provider: r.provider,
    idempotencyKey: r.key,
    requestHash: `${r.voucher}|${r.provider}`,
  });
}

/** A result without what differs between two tenants (ids, codes). */
function shape(result: RedeemResult): unknown {
  if (result.status === 'replay') return { status: 'replay', first: shape(result.first) };
  if (result.status === 'ok') return { status: 'ok', faceValueCents: result.body.faceValueCents };
  return { status: result.status };
}

async function expectHealthy(ctx: LedgerContext) {
  expect(await auditBalances(ctx)).toMatchObject({ ok: true, totalCents: 0 });
  expect(await verifyChain(ctx)).toMatchObject({ ok: true });
}

async function balances(ctx: LedgerContext) {
  const { rows } = await ctx.db.execute(
    'SELECT kind, reference, balance_cents FROM ledger_accounts ORDER BY kind, reference',
  );
  return rows.map((r) => `${r.kind}|${r.reference}|${r.balance_cents}`);
}

describe('group commit for redeemVoucher', () => {
  it('gives concurrent redemptions, grouped, exactly the answers of one-by-one processing', async () => {
    const sequential = await tenant();
    const seqResults: RedeemResult[] = [];
    for (const r of REQUESTS) seqResults.push(await send(sequential.ctx, sequential.codes, r));

    const grouped = await tenant();
    const { db, stats } = instrumented(grouped.ctx.db);
    const ctx: LedgerContext = {
      ...grouped.ctx,
      db,
      serialize: serialQueue(),
      groupCommit: groupCommitter(),
    };
    const groupResults = await Promise.all(REQUESTS.map((r) => send(ctx, grouped.codes, r)));

    expect(groupResults.map(shape)).toEqual(seqResults.map(shape));
    expect(groupResults.map((r) => r.status)).toEqual([
      'ok',
      'already-redeemed',
      'ok',
      'voided',
      'expired',
      'expired',
      'not-found',
      'already-redeemed',
      'ok',
      'replay',
      'idempotency-conflict',
      'replay',
    ]);
    // Voucher 0 is asked for three times, and a group takes a voucher once: three groups (the keys
    // met twice fall in the later two), plus the write that opens the providers' accounts.
    expect(stats.writes).toBeLessThanOrEqual(4);

    // Each replay returns the first answer exactly, refusals included.
    for (const [i, r] of REQUESTS.entries()) {
      const again = await send(ctx, grouped.codes, r);
      const first = groupResults.findIndex((_, j) => REQUESTS[j]?.key === r.key);
      const firstResult = groupResults[first] as RedeemResult;
      if (REQUESTS[first]?.voucher === r.voucher && REQUESTS[first]?.provider === r.provider) {
        expect(again).toEqual({ status: 'replay', first: firstResult });
      } else {
        expect(again, `request ${i}`).toEqual({ status: 'idempotency-conflict' });
      }
    }
    expect(await balances(ctx)).toEqual(await balances(sequential.ctx));
    const count = async (c: LedgerContext) =>
      (await c.db.execute('SELECT COUNT(*) AS n FROM ledger_transfers')).rows[0]?.n;
    expect(await count(ctx)).toBe(await count(sequential.ctx));
    await expectHealthy(ctx);
    await expectHealthy(sequential.ctx);
  });

  it('a write by another process between the group’s read and write aborts the group, which then retries', async () => {
    const { ctx: base, codes, url } = await tenant();
    const { db, stats } = instrumented(base.db);
    const ctx: LedgerContext = { ...base, db, serialize: serialQueue(), groupCommit: groupCommitter() };
    const other: LedgerContext = {
      db: createNodeClient({ url }, { dataDir: folder.dir }),
      clock: base.clock,
    };
    let competitor: RedeemResult | undefined;
    stats.afterRead = async () => {
      competitor = await redeemVoucher(other, { code: codes[1] ?? '', provider: 'px', idempotencyKey: 'x' });
    };
    const results = await Promise.all(
      [0, 1, 2].map((v) =>
        redeemVoucher(ctx, { code: codes[v] ?? '', provider: 'p', idempotencyKey: `k${v}` }),
      ),
    );
    expect(competitor?.status).toBe('ok');
    expect(results.map((r) => r.status)).toEqual(['ok', 'already-redeemed', 'ok']);
    await expectHealthy(ctx);
    other.db.close();
  });

  it('many concurrent callers on many vouchers: every voucher redeemed once, chain and balances hold', async () => {
    const { ctx: base } = await newLedger(folder.dir);
    const issued = expectStatus(
      await issueVoucherBatch(base, { holder: 'r', count: 100, idempotencyKey: 'i' }),
      'ok',
    ).body.vouchers.map((v) => v.code);
    const { db, stats } = instrumented(base.db);
    const ctx: LedgerContext = {
      ...base,
      db,
      serialize: serialQueue(),
      groupCommit: groupCommitter({ maxGroup: 16 }),
    };
    // Each voucher three times, under different keys: exactly one ok per voucher.
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        redeemVoucher(ctx, { code: issued[i % 100] ?? '', provider: `p${i % 7}`, idempotencyKey: `k${i}` }),
      ),
    );
    expect(results.filter((r) => r.status === 'ok')).toHaveLength(100);
    expect(results.filter((r) => r.status === 'already-redeemed')).toHaveLength(200);
    expect(stats.writes).toBeLessThan(60);
    expect(stats.writes).toBeGreaterThan(0);
    expect(await verifyChain(ctx)).toMatchObject({ ok: true, transfers: 200 });
    expect(await auditBalances(ctx)).toMatchObject({ ok: true, totalCents: 0 });
  });
});
