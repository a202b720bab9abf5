import { afterAll, describe, expect, it } from 'vitest';
import { accountBalance, auditBalances, grantBudget, spendBudget, verifyChain } from '../src/index.ts';
import { expectStatus, newLedger, scratchFolder } from './ledger-db.ts';

const folder = scratchFolder('budgets');
afterAll(folder.remove);

describe('city-pass budgets', () => {
  it('grant a yearly budget that is spent in parts, never below zero', async () => {
    const { ctx } = await newLedger(folder.dir, '2026-05-04T10:00:00.000Z');
    const grant = expectStatus(
      await grantBudget(ctx, { holder: 'pas-123', year: 2026, amountCents: 15_000, idempotencyKey: 'g1' }),
      'ok',
    );
    const spend = (amountCents: number, key: string) =>
      spendBudget(ctx, {
        holder: 'pas-123',
        provider: 'zwembad',
        amountCents,
        idempotencyKey: key,
        requestHash: key,
      });

    expect(expectStatus(await spend(6_000, 's1'), 'ok').body).toMatchObject({
      accountId: grant.body.accountId,
      year: 2026,
      amountCents: 6_000,
      balanceAfterCents: 9_000,
    });
    expect(expectStatus(await spend(9_000, 's2'), 'ok').body.balanceAfterCents).toBe(0);
    expect(await spend(1, 's3')).toEqual({
      status: 'insufficient-funds',
      body: { accountId: grant.body.accountId, amountCents: 1, availableCents: 0 },
    });
    expect(await accountBalance(ctx, grant.body.accountId)).toMatchObject({
      balanceCents: 0,
      ledger: 'budget:2026',
    });
    expect(await auditBalances(ctx)).toMatchObject({ ok: true });
    expect(await verifyChain(ctx)).toEqual(expect.objectContaining({ ok: true, transfers: 3 }));
  });

  it('keep a refusal under its key: a top-up afterwards does not turn the retry into a payment', async () => {
    const { ctx } = await newLedger(folder.dir, '2026-05-04T10:00:00.000Z');
    const spend = {
      holder: 'pas-9',
      provider: 'bieb',
      amountCents: 2_500,
      idempotencyKey: 's',
      requestHash: 'h',
    };
    const refused = await spendBudget(ctx, spend);
    expect(refused).toMatchObject({ status: 'insufficient-funds', body: { availableCents: 0 } });
    await grantBudget(ctx, { holder: 'pas-9', year: 2026, amountCents: 5_000, idempotencyKey: 'g' });
    expect(await spendBudget(ctx, spend)).toEqual({ status: 'replay', first: refused });
    expect(await spendBudget(ctx, { ...spend, requestHash: 'other' })).toEqual({
      status: 'idempotency-conflict',
    });
    expect(
      expectStatus(await spendBudget(ctx, { ...spend, idempotencyKey: 's-2' }), 'ok').body.balanceAfterCents,
    ).toBe(2_500);
  });

  it('keep each year apart: the current year in the Netherlands is spent unless a year is given', async () => {
    // 23:30 UTC on 31 December is already New Year in Amsterdam.
    const { ctx } = await newLedger(folder.dir, '2026-12-31T23:30:00.000Z');
    await grantBudget(ctx, { holder: 'pas-1', year: 2026, amountCents: 1_000, idempotencyKey: 'g26' });
    const next = expectStatus(
      await grantBudget(ctx, { holder: 'pas-1', year: 2027, amountCents: 300, idempotencyKey: 'g27' }),
      'ok',
    );
    const spent = expectStatus(
      await spendBudget(ctx, { holder: 'pas-1', provider: 'p', amountCents: 300, idempotencyKey: 'a' }),
      'ok',
    );
    expect(spent.body).toMatchObject({ year: 2027, accountId: next.body.accountId, balanceAfterCents: 0 });
    const old = await spendBudget(ctx, {
      holder: 'pas-1',
      provider: 'p',
      amountCents: 1_000,
      idempotencyKey: 'b',
      year: 2026,
    });
    expect(old.status).toBe('ok');
    expect(
      (await spendBudget(ctx, { holder: 'pas-1', provider: 'p', amountCents: 1, idempotencyKey: 'c' }))
        .status,
    ).toBe('insufficient-funds');
  });
});
