import type { VoucherStatus } from '@wijkteams/db';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  auditBalances,
  budgetLedger,
  expireVouchers,
  grantBudget,
  groupCommitter,
  issueVoucherBatch,
  type LedgerContext,
  payOut,
  redeemVoucher,
  reverseRedemption,
  SYSTEM_REFERENCE,
  serialQueue,
  settlement,
  spendBudget,
  VOID_REASONS,
  VOUCHER_LEDGER,
  type VoidReason,
  verifyChain,
  voidVoucher,
  voucherReport,
} from '../src/index.ts';
import { DAY, expectStatus, type manualClock, newLedger, scratchFolder } from './ledger-db.ts';

/**
 * Model-based test: random sequences of commands run against the real ledger (a fresh libSQL file
 * per run) and against a plain in-memory model. After every step the invariants must hold and the
 * real answers must be the model's.
 */

const folder = scratchFolder('model');
afterAll(folder.remove);

interface Real {
  ctx: LedgerContext;
  time: ReturnType<typeof manualClock>;
}

interface ModelVoucher {
  code: string;
  holder: string;
  faceValueCents: number;
  validUntil: string;
  status: VoucherStatus;
}

interface ModelRedemption {
  transferId: string;
  code: string;
  provider: string;
  cents: number;
  reversed: boolean;
  /** A payout from the provider came after it. */
  paid: boolean;
}

interface KeyUse {
  request: string;
  answer: unknown;
  resend: (ctx: LedgerContext) => Promise<unknown>;
}

interface Model {
  vouchers: ModelVoucher[];
  /** Balance per account, keyed `ledger|kind|reference`. */
  balances: Map<string, number>;
  keys: Map<string, KeyUse>;
  transfers: number;
  redemptions: ModelRedemption[];
}

const HOLDERS = ['res-a', 'res-b', 'res-c'];
const PROVIDERS = ['zorg-1', 'zorg-2'];
/** Mostly fresh keys, sometimes one of a small pool: reused across commands, replays and conflicts. */
const SHARED_KEYS = ['k0', 'k1', 'k2', 'k3'];
const YEARS = [2026, 2027];
const UNKNOWN_CODE = '0000-0000-0000-0';

const account = (ledger: string, kind: string, reference: string) => `${ledger}|${kind}|${reference}`;
const voucherAccount = (kind: string, reference = SYSTEM_REFERENCE) =>
  account(VOUCHER_LEDGER, kind, reference);

function move(model: Model, from: string, to: string, cents: number) {
  model.balances.set(from, (model.balances.get(from) ?? 0) - cents);
  model.balances.set(to, (model.balances.get(to) ?? 0) + cents);
}

function pickVoucher(model: Model, pick: number | null): ModelVoucher | undefined {
  return pick === null || model.vouchers.length === 0
    ? undefined
    : model.vouchers[pick % model.vouchers.length];
}

function settleOutcome(v: ModelVoucher | undefined, now: string) {
  if (!v) return 'not-found';
  if (v.status === 'redeemed') return 'already-redeemed';
  if (v.status === 'voided') return 'voided';
  if (v.status === 'expired' || v.validUntil <= now) return 'expired';
  return 'ok';
}

/**
 * The idempotency rules of the model: a used key replays its first answer or is a conflict. `fresh`
 * returns false for an answer that is not kept under the key (a reversal of no redemption, a payout
 * of nothing owed).
 */
async function keyed<R>(
  model: Model,
  real: Real,
  key: string,
  request: string,
  send: (ctx: LedgerContext) => Promise<R>,
  fresh: (result: R) => unknown,
) {
  const used = model.keys.get(key);
  const result = await send(real.ctx);
  if (used) {
    expect(result).toEqual(
      used.request === request
        ? { status: 'replay', first: used.answer }
        : { status: 'idempotency-conflict' },
    );
  } else if (fresh(result) !== false) {
    model.keys.set(key, { request, answer: result, resend: send });
  }
  await checkInvariants(model, real);
}

async function checkInvariants(model: Model, { ctx }: Real) {
  const audit = await auditBalances(ctx);
  expect(audit).toMatchObject({ ok: true, totalCents: 0, mismatches: [], overdrawn: [] });
  expect(await verifyChain(ctx)).toMatchObject({ ok: true, transfers: model.transfers });

  // Settled at most once while open: every settling after the first follows a reversal.
  const settledTwice = await ctx.db.execute(`SELECT reference FROM ledger_transfers
    WHERE code IN ('redeem', 'expire', 'void', 'reverse') GROUP BY reference
    HAVING SUM(CASE WHEN code = 'reverse' THEN -1 ELSE 1 END) NOT IN (0, 1)`);
  expect(settledTwice.rows).toHaveLength(0);

  // The report over all time adds up, each voucher in the bucket of its state now.
  const now = ctx.clock().toISOString();
  const report = await voucherReport(ctx, { from: new Date(0), to: new Date('2100-01-01') });
  const bucket = (v: ModelVoucher) =>
    v.status === 'issued' ? (v.validUntil <= now ? 'expired' : 'outstanding') : v.status;
  const centsIn = (name: string) =>
    model.vouchers.filter((v) => bucket(v) === name).reduce((sum, v) => sum + v.faceValueCents, 0);
  expect(report).toMatchObject({
    issuedCents: model.vouchers.reduce((sum, v) => sum + v.faceValueCents, 0),
    redeemedCents: centsIn('redeemed'),
    expiredCents: centsIn('expired'),
    voidedCents: centsIn('voided'),
    outstandingCents: centsIn('outstanding'),
  });
  expect(report.issuedCents).toBe(
    report.redeemedCents + report.expiredCents + report.voidedCents + report.outstandingCents,
  );

  // The settlement over all time: redemptions minus reversals, paid and owed, per provider.
  const settled = await settlement(ctx, { from: new Date(0), to: new Date('2100-01-01') });
  for (const provider of PROVIDERS) {
    const mine = model.redemptions.filter((r) => r.provider === provider && !r.reversed);
    const found = settled.providers.find((p) => p.providerId === provider);
    const redeemedCents = mine.reduce((sum, r) => sum + r.cents, 0);
    const paidOutCents = mine.filter((r) => r.paid).reduce((sum, r) => sum + r.cents, 0);
    expect({ redeemedCents: found?.redeemedCents ?? 0, paidOutCents: found?.paidOutCents ?? 0 }).toEqual({
      redeemedCents,
      paidOutCents,
    });
    expect(found?.owedCents ?? 0).toBe(model.balances.get(voucherAccount('provider', provider)) ?? 0);
  }

  const accounts = await ctx.db.execute('SELECT ledger, kind, reference, balance_cents FROM ledger_accounts');
  const real = new Map<string, number>();
  for (const r of accounts.rows) {
    const cents = Number(r.balance_cents);
    if (r.kind === 'holder') expect(cents).toBeGreaterThanOrEqual(0);
    if (cents !== 0) real.set(account(String(r.ledger), String(r.kind), String(r.reference)), cents);
  }
  const expected = new Map([...model.balances].filter(([, cents]) => cents !== 0));
  expect(real).toEqual(expected);

  const vouchers = await ctx.db.execute('SELECT code, status FROM ledger_vouchers');
  expect(new Map(vouchers.rows.map((r) => [String(r.code), String(r.status)]))).toEqual(
    new Map(model.vouchers.map((v) => [v.code, v.status])),
  );
}

type Command = fc.AsyncCommand<Model, Real>;

class Issue implements Command {
  constructor(
    readonly holder: string,
    readonly count: number,
    readonly faceValueCents: number,
    readonly key: string,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const { holder, count, faceValueCents, key } = this;
    await keyed(
      model,
      real,
      key,
      `issue|${holder}|${count}|${faceValueCents}`,
      (ctx) => issueVoucherBatch(ctx, { holder, count, faceValueCents, idempotencyKey: key }),
      (result) => {
        const { body } = expectStatus(result, 'ok');
        expect(body.vouchers).toHaveLength(count);
        for (const v of body.vouchers) {
          expect(v).toMatchObject({ faceValueCents, status: 'issued' });
          expect(v.validUntil > real.time.clock().toISOString()).toBe(true);
          model.vouchers.push({
            code: v.code,
            holder,
            faceValueCents,
            validUntil: v.validUntil,
            status: 'issued',
          });
          move(model, voucherAccount('issuance'), voucherAccount('holder', holder), faceValueCents);
        }
        model.transfers += count;
      },
    );
  }
  toString = () => `issue(${this.holder}, ${this.count} × ${this.faceValueCents}, ${this.key})`;
}

class Redeem implements Command {
  constructor(
    readonly pick: number | null,
    readonly provider: string,
    readonly key: string,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const v = pickVoucher(model, this.pick);
    const code = v?.code ?? UNKNOWN_CODE;
    const { provider, key } = this;
    const request = `redeem|${code}|${provider}`;
    const expected = settleOutcome(v, real.time.clock().toISOString());
    await keyed(
      model,
      real,
      key,
      request,
      (ctx) => redeemVoucher(ctx, { code, provider, idempotencyKey: key, requestHash: request }),
      (result) => {
        expect(result.status).toBe(expected);
        if (v && result.status === 'ok') {
          expect(result.body).toMatchObject({ code, faceValueCents: v.faceValueCents });
          v.status = 'redeemed';
          model.redemptions.push({
            transferId: result.body.transferId,
            code,
            provider,
            cents: v.faceValueCents,
            reversed: false,
            paid: false,
          });
          move(
            model,
            voucherAccount('holder', v.holder),
            voucherAccount('provider', provider),
            v.faceValueCents,
          );
          model.transfers += 1;
        }
      },
    );
  }
  toString = () => `redeem(#${this.pick}, ${this.provider}, ${this.key})`;
}

class Void implements Command {
  constructor(
    readonly pick: number | null,
    readonly reason: VoidReason,
    readonly key: string,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const v = pickVoucher(model, this.pick);
    const code = v?.code ?? UNKNOWN_CODE;
    const { reason, key } = this;
    const expected = settleOutcome(v, real.time.clock().toISOString());
    await keyed(
      model,
      real,
      key,
      `void|${code}|${reason}`,
      (ctx) => voidVoucher(ctx, { code, reason, idempotencyKey: key }),
      (result) => {
        expect(result.status).toBe(expected);
        if (v && result.status === 'ok') {
          const { replacement } = result.body;
          expect(replacement).toMatchObject({ faceValueCents: v.faceValueCents, validUntil: v.validUntil });
          v.status = 'voided';
          model.vouchers.push({ ...v, code: replacement.code, status: 'issued' });
          move(model, voucherAccount('holder', v.holder), voucherAccount('voided'), v.faceValueCents);
          move(model, voucherAccount('issuance'), voucherAccount('holder', v.holder), v.faceValueCents);
          model.transfers += 2;
        }
      },
    );
  }
  toString = () => `void(#${this.pick}, ${this.reason}, ${this.key})`;
}

class Expire implements Command {
  constructor(readonly days: number) {}
  check = () => true;
  async run(model: Model, real: Real) {
    real.time.advance(this.days * DAY);
    const now = real.time.clock();
    const due = model.vouchers.filter((v) => v.status === 'issued' && v.validUntil <= now.toISOString());
    expect(await expireVouchers(real.ctx, { now })).toEqual({
      expired: due.length,
      expiredCents: due.reduce((sum, v) => sum + v.faceValueCents, 0),
    });
    expect(await expireVouchers(real.ctx, { now })).toEqual({ expired: 0, expiredCents: 0 });
    for (const v of due) {
      v.status = 'expired';
      move(model, voucherAccount('holder', v.holder), voucherAccount('expired'), v.faceValueCents);
    }
    model.transfers += due.length;
    await checkInvariants(model, real);
  }
  toString = () => `expire(+${this.days} days)`;
}

class Grant implements Command {
  constructor(
    readonly holder: string,
    readonly year: number,
    readonly amountCents: number,
    readonly key: string,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const { holder, year, amountCents, key } = this;
    const ledger = budgetLedger(year);
    await keyed(
      model,
      real,
      key,
      `grant|${holder}|${year}|${amountCents}`,
      (ctx) => grantBudget(ctx, { holder, year, amountCents, idempotencyKey: key }),
      (result) => {
        expect(expectStatus(result, 'ok').body).toMatchObject({ year, amountCents });
        move(
          model,
          account(ledger, 'issuance', SYSTEM_REFERENCE),
          account(ledger, 'holder', holder),
          amountCents,
        );
        model.transfers += 1;
      },
    );
  }
  toString = () => `grant(${this.holder}, ${this.year}, ${this.amountCents}, ${this.key})`;
}

class Spend implements Command {
  constructor(
    readonly holder: string,
    readonly provider: string,
    readonly year: number,
    readonly amountCents: number,
    readonly key: string,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const { holder, provider, year, amountCents, key } = this;
    const ledger = budgetLedger(year);
    const from = account(ledger, 'holder', holder);
    const available = model.balances.get(from) ?? 0;
    const request = `spend|${holder}|${provider}|${year}|${amountCents}`;
    await keyed(
      model,
      real,
      key,
      request,
      (ctx) =>
        spendBudget(ctx, { holder, provider, year, amountCents, idempotencyKey: key, requestHash: request }),
      (result) => {
        if (available < amountCents) {
          expect(result).toMatchObject({ status: 'insufficient-funds', body: { availableCents: available } });
          return;
        }
        expect(expectStatus(result, 'ok').body.balanceAfterCents).toBe(available - amountCents);
        move(model, from, account(ledger, 'provider', provider), amountCents);
        model.transfers += 1;
      },
    );
  }
  toString = () => `spend(${this.holder} → ${this.provider}, ${this.year}, ${this.amountCents}, ${this.key})`;
}

class Reverse implements Command {
  constructor(
    readonly pick: number | null,
    readonly key: string,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const r =
      this.pick === null || model.redemptions.length === 0
        ? undefined
        : model.redemptions[this.pick % model.redemptions.length];
    const transferId = r?.transferId ?? 'tr_unknown';
    const { key } = this;
    const v = r && model.vouchers.find((m) => m.code === r.code);
    const current = r && model.redemptions.findLast((m) => m.code === r.code);
    const expected = !r
      ? 'not-found'
      : r.reversed || current !== r || v?.status !== 'redeemed'
        ? 'already-reversed'
        : r.paid
          ? 'paid-out'
          : 'ok';
    await keyed(
      model,
      real,
      key,
      `reverse|${transferId}|mistake`,
      (ctx) => reverseRedemption(ctx, { transferId, reason: 'mistake', idempotencyKey: key }),
      (result) => {
        expect(result.status).toBe(expected);
        if (result.status === 'not-found') return false;
        if (r && v && result.status === 'ok') {
          r.reversed = true;
          v.status = 'issued';
          move(model, voucherAccount('provider', r.provider), voucherAccount('holder', v.holder), r.cents);
          model.transfers += 1;
        }
      },
    );
  }
  toString = () => `reverse(#${this.pick}, ${this.key})`;
}

class PayOut implements Command {
  constructor(
    readonly providers: string[],
    readonly key: string,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const { providers, key } = this;
    const owed = providers
      .map((p) => ({ p, cents: model.balances.get(voucherAccount('provider', p)) ?? 0 }))
      .filter((o) => o.cents > 0);
    await keyed(
      model,
      real,
      key,
      `payout|${providers.join(',')}`,
      (ctx) =>
        payOut(ctx, {
          payees: providers.map((providerId) => ({
            providerId,
            name: providerId,
            ibanCt: `ct-${providerId}`,
          })),
          executionDate: '2026-12-01',
          idempotencyKey: key,
          requestHash: `payout|${providers.join(',')}`,
        }),
      (result) => {
        if (owed.length === 0) {
          expect(result).toEqual({ status: 'nothing-owed' });
          return false;
        }
        const { body } = expectStatus(result, 'ok');
        expect(body.payouts.map((o) => [o.providerId, o.amountCents]).sort()).toEqual(
          owed.map((o) => [o.p, o.cents]).sort(),
        );
        expect(body.totalCents).toBe(owed.reduce((sum, o) => sum + o.cents, 0));
        for (const o of owed) {
          move(model, voucherAccount('provider', o.p), voucherAccount('payout'), o.cents);
          for (const r of model.redemptions) if (r.provider === o.p && !r.reversed) r.paid = true;
        }
        model.transfers += owed.length;
      },
    );
  }
  toString = () => `payout(${this.providers.join(', ')}, ${this.key})`;
}

class Replay implements Command {
  constructor(readonly pick: number) {}
  check = (model: Readonly<Model>) => model.keys.size > 0;
  async run(model: Model, real: Real) {
    const uses = [...model.keys.values()];
    const use = uses[this.pick % uses.length] as KeyUse;
    expect(await use.resend(real.ctx)).toEqual({ status: 'replay', first: use.answer });
    await checkInvariants(model, real);
  }
  toString = () => `replay(#${this.pick})`;
}

const holder = fc.constantFrom(...HOLDERS);
const provider = fc.constantFrom(...PROVIDERS);
const key = fc.oneof(
  { weight: 4, arbitrary: fc.nat().map((n) => `fresh-${n}`) },
  { weight: 1, arbitrary: fc.constantFrom(...SHARED_KEYS) },
);
const pick = fc.option(fc.nat(), { freq: 6 });

const commands = [
  fc
    .tuple(holder, fc.integer({ min: 1, max: 3 }), fc.constantFrom(500, 750), key)
    .map((a) => new Issue(...a)),
  fc.tuple(pick, provider, key).map((a) => new Redeem(...a)),
  fc.tuple(pick, provider, key).map((a) => new Redeem(...a)),
  fc.tuple(pick, fc.constantFrom(...VOID_REASONS), key).map((a) => new Void(...a)),
  fc.integer({ min: 0, max: 200 }).map((days) => new Expire(days)),
  fc
    .tuple(holder, fc.constantFrom(...YEARS), fc.integer({ min: 1, max: 5_000 }), key)
    .map((a) => new Grant(...a)),
  fc
    .tuple(holder, provider, fc.constantFrom(...YEARS), fc.integer({ min: 1, max: 5_000 }), key)
    .map((a) => new Spend(...a)),
  fc.tuple(pick, key).map((a) => new Reverse(...a)),
  fc.tuple(pick, key).map((a) => new Reverse(...a)),
  fc.tuple(fc.subarray(PROVIDERS, { minLength: 1 }), key).map((a) => new PayOut(...a)),
  fc.nat().map((n) => new Replay(n)),
];

describe('the ledger against an in-memory model', () => {
  it.each([
    ['', false],
    [', with group commit', true],
  ])(
    'keeps every invariant and gives the model’s answers after every step of random command sequences%s',
    async (_, grouped) => {
      await fc.assert(
        fc.asyncProperty(fc.commands(commands, { maxCommands: 30, size: 'max' }), async (cmds) => {
          const { ctx: plain, time } = await newLedger(folder.dir);
          const ctx = grouped ? { ...plain, serialize: serialQueue(), groupCommit: groupCommitter() } : plain;
          const model: Model = {
            vouchers: [],
            balances: new Map(),
            keys: new Map(),
            transfers: 0,
            redemptions: [],
          };
          try {
            await fc.asyncModelRun(() => ({ model, real: { ctx, time } }), cmds);
          } finally {
            ctx.db.close();
          }
        }),
        { numRuns: 25 },
      );
    },
  );
});
