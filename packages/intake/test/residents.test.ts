import { describe, expect, it } from 'vitest';
import {
  applyRetention,
  eraseRequest,
  issueStatusToken,
  offerRequest,
  publicStatus,
  readRequest,
  respondToOffer,
  submitRequest,
  transition,
  withdrawWithToken,
} from '../src/index.ts';
import { STAFF, validInput, worldPerTest } from './helpers.ts';

const t = worldPerTest();
const resident = { kind: 'resident' } as const;
const KEY = 'f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const TABLES = ['requests', 'request_events', 'request_audit', 'request_idempotency_keys'];
const counts = () => Promise.all(TABLES.map((table) => t.world.count(table)));
const submit = (
  input: unknown,
  idempotencyKey?: string,
  submitter: Parameters<typeof submitRequest>[2] = resident,
) => submitRequest(t.world.ctx, input, submitter, t.world.coverage, idempotencyKey ? { idempotencyKey } : {});

describe('intake with an Idempotency-Key', () => {
  it('answers a retry with the same body exactly as the first time, and stores one request', async () => {
    const first = await submit(validInput(), KEY);
    const before = await counts();
    t.world.ctx.advanceHours(2);
    const retry = await submit(validInput(), KEY);
    expect(retry).toEqual(first);
    expect(await counts()).toEqual(before);
    // The replayed token is the real one: it opens the status.
    if (!retry.ok) throw new Error('expected a receipt');
    expect(await publicStatus(t.world.ctx, retry.reference, retry.statusToken)).toMatchObject({ ok: true });
  });

  it('takes the fields in any order as the same body', async () => {
    const first = await submit(validInput(), KEY);
    const { contact, ...rest } = validInput();
    const reordered = {
      contact: { phone: contact.phone, email: contact.email, name: contact.name },
      ...rest,
    };
    expect(await submit(reordered, KEY)).toEqual(first);
  });

  it('refuses the same key with another body, and stores nothing', async () => {
    await submit(validInput(), KEY);
    const before = await counts();
    expect(await submit(validInput({ description: 'Iets anders' }), KEY)).toEqual({
      ok: false,
      reason: 'idempotency-conflict',
    });
    expect(await counts()).toEqual(before);
  });

  it('keeps keys apart per caller: a partner repeating a resident’s key makes its own request', async () => {
    const fromResident = await submit(validInput(), KEY);
    const fromPartner = await submit(validInput(), KEY, { kind: 'partner', keyId: 'key_partner1' });
    expect(fromPartner.ok && fromResident.ok && fromPartner.reference).not.toBe(
      fromResident.ok && fromResident.reference,
    );
  });

  it('answers a retry that comes when the booking is no longer far enough ahead as the first time', async () => {
    const ride = validInput({ category: 'transport', preferredAt: '2026-03-03T10:00:00+01:00' });
    const first = await submit(ride, KEY);
    expect(first.ok).toBe(true);
    t.world.ctx.advanceHours(20);
    expect(await submit(ride, KEY)).toEqual(first);
  });

  it('forgets a key after a day: then it is a new request', async () => {
    const first = await submit(validInput(), KEY);
    t.world.ctx.advanceHours(25);
    const later = await submit(validInput(), KEY);
    expect(later.ok && first.ok && later.reference).not.toBe(first.ok && first.reference);
  });

  it('stores one request when another with the same key is stored between the check and the write', async () => {
    const { ctx, coverage } = t.world;
    const before = await t.world.count('requests');
    let first: Awaited<ReturnType<typeof submit>> | undefined;
    // The other request's whole intake runs just before this one's write batch.
    const db = new Proxy(ctx.db, {
      get(target, name) {
        const value = Reflect.get(target, name, target);
        if (name !== 'batch') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: Parameters<typeof target.batch>) => {
          first ??= await submit(validInput(), KEY);
          return target.batch(...args);
        };
      },
    });
    const second = await submitRequest({ ...ctx, db }, validInput(), resident, coverage, {
      idempotencyKey: KEY,
    });
    expect(first?.ok).toBe(true);
    expect(second).toEqual(first);
    expect(await t.world.count('requests')).toBe(before + 1);
  });

  it('lets retention forget expired keys, and erasure the key of the erased request', async () => {
    await submit(validInput(), KEY);
    t.world.ctx.advanceHours(25);
    await applyRetention(t.world.ctx, { now: t.world.ctx.clock(), anonymiseClosedAfterDays: 90 });
    expect(await t.world.count('request_idempotency_keys')).toBe(0);
  });
});

describe('addresses as in the BAG', () => {
  it('stores the house letter in upper case and the addition as given', async () => {
    const { reference } = await t.world.submit({
      houseNumber: 12,
      houseLetter: 'a',
      houseNumberAddition: '2',
    });
    const read = await readRequest(t.world.ctx, reference, STAFF, 'test');
    expect(read.ok && read.request.address).toEqual({
      postcode: '9712CP',
      houseNumber: 12,
      houseLetter: 'A',
      houseNumberAddition: '2',
    });
  });

  it('refuses a letter of two, an addition of five, and a letter without a number', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ houseLetter: 'ab' }, 'houseLetter'],
      [{ houseLetter: '1' }, 'houseLetter'],
      [{ houseNumberAddition: 'abcde' }, 'houseNumberAddition'],
      [{ houseNumberAddition: '2-b' }, 'houseNumberAddition'],
      [{ houseNumber: 100_000 }, 'houseNumber'],
      [{ houseNumber: undefined, houseLetter: 'a' }, 'houseNumber'],
    ];
    for (const [fields, name] of cases) {
      const outcome = await submit({ ...validInput(), ...fields });
      expect(outcome, JSON.stringify(fields)).toMatchObject({
        ok: false,
        reason: 'invalid-input',
        invalidParams: [{ name }],
      });
    }
  });

  it('keeps the contact preference and the consent to share with the provider', async () => {
    const { reference } = await t.world.submit({
      contact: { name: 'Jantje', phone: '050 123 4567', preferredChannel: 'phone' },
      shareWithProvider: true,
    });
    const read = await readRequest(t.world.ctx, reference, STAFF, 'test');
    expect(read.ok && read.request.contact?.preferredChannel).toBe('phone');
    expect(read.ok && read.request.shareWithProvider).toBe(true);
    const plain = await readRequest(t.world.ctx, (await t.world.submit()).reference, STAFF, 'test');
    expect(plain.ok && plain.request.shareWithProvider).toBe(false);
  });

  it('refuses a preferred channel without its contact detail', async () => {
    expect(
      await submit(
        validInput({ contact: { name: 'Jantje', email: 'j@example.nl', preferredChannel: 'phone' } }),
      ),
    ).toMatchObject({ ok: false, invalidParams: [{ name: 'contact.preferredChannel' }] });
  });
});

describe('withdrawal by the resident', () => {
  it('withdraws a request that nobody has accepted yet, through the status flow', async () => {
    for (const steps of [[], ['triaged'], ['triaged', 'offered']] as const) {
      const { reference, statusToken } = await t.world.submit();
      for (const step of steps) {
        const moved =
          step === 'offered'
            ? await offerRequest(t.world.ctx, reference, t.providers.volunteers, STAFF)
            : await transition(t.world.ctx, reference, step, STAFF);
        expect(moved.ok).toBe(true);
      }
      const outcome = await withdrawWithToken(t.world.ctx, reference, statusToken);
      expect(outcome).toMatchObject({ ok: true, status: { status: 'cancelled', withdrawable: false } });
      expect(outcome.ok && outcome.status.timeline.at(-1)?.status).toBe('cancelled');
      // Again: the same answer, nothing more written.
      expect(await withdrawWithToken(t.world.ctx, reference, statusToken)).toEqual(outcome);
      const read = await readRequest(t.world.ctx, reference, STAFF, 'test');
      expect(read.ok && read.request.history.filter((h) => h.to === 'cancelled')).toHaveLength(1);
    }
  });

  it('is too late once a provider has accepted: the status stays', async () => {
    const { reference, statusToken } = await t.world.submit();
    await transition(t.world.ctx, reference, 'triaged', STAFF);
    await offerRequest(t.world.ctx, reference, t.providers.volunteers, STAFF);
    const accepted = await respondToOffer(t.world.ctx, reference, t.providers.volunteers, 'accept');
    expect(accepted.ok).toBe(true);
    expect(await withdrawWithToken(t.world.ctx, reference, statusToken)).toEqual({
      ok: false,
      reason: 'too-late',
      status: 'accepted',
    });
    expect(await publicStatus(t.world.ctx, reference, statusToken)).toMatchObject({
      ok: true,
      status: { status: 'accepted', withdrawable: false },
    });
  });

  it('answers a wrong token as an unknown reference', async () => {
    const { reference } = await t.world.submit();
    expect(await withdrawWithToken(t.world.ctx, reference, 'x'.repeat(43))).toEqual({
      ok: false,
      reason: 'not-found',
    });
  });
});

describe('a new status link from the team', () => {
  it('replaces the token, so that only the new link works, and a retry no longer replays the old one', async () => {
    const first = await submit(validInput(), KEY);
    if (!first.ok) throw new Error('expected a receipt');
    const issued = await issueStatusToken(t.world.ctx, first.reference, STAFF);
    if (!issued.ok) throw new Error('expected a token');
    expect(await publicStatus(t.world.ctx, first.reference, issued.statusToken)).toMatchObject({ ok: true });
    expect(await publicStatus(t.world.ctx, first.reference, first.statusToken)).toEqual({
      ok: false,
      reason: 'not-found',
    });
    expect(await t.world.count('request_idempotency_keys')).toBe(0);
  });

  it('is refused for an erased request and an unknown one', async () => {
    const { reference } = await t.world.submit();
    await eraseRequest(t.world.ctx, reference, STAFF);
    expect(await issueStatusToken(t.world.ctx, reference, STAFF)).toEqual({ ok: false, reason: 'erased' });
    expect(await issueStatusToken(t.world.ctx, 'GRO-2026-999999', STAFF)).toEqual({
      ok: false,
      reason: 'not-found',
    });
  });
});
