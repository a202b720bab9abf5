import { describe, expect, it } from 'vitest';
import {
  applyRetention,
  eraseRequest,
  listRequestAudit,
  listRequests,
  offerRequest,
  publicStatus,
  readRequest,
  requestReport,
  respondToOffer,
  transition,
} from '../src/index.ts';
import { STAFF, worldPerTest } from './helpers.ts';

const t = worldPerTest();
const at = (iso: string) => t.world.ctx.setNow(iso);

async function closedRequest(note?: string) {
  const { reference, statusToken } = await t.world.submit();
  await transition(t.world.ctx, reference, 'triaged', STAFF);
  await offerRequest(t.world.ctx, reference, t.providers.volunteers, STAFF);
  await respondToOffer(t.world.ctx, reference, t.providers.volunteers, 'accept');
  await transition(t.world.ctx, reference, 'in_progress', STAFF);
  await transition(t.world.ctx, reference, 'resolved', STAFF, note);
  await transition(t.world.ctx, reference, 'closed', STAFF);
  return { reference, statusToken };
}

const personalData = async (reference: string) => {
  const read = await readRequest(t.world.ctx, reference, STAFF, 'test');
  if (!read.ok) throw new Error('not found');
  return {
    description: read.request.description,
    contact: read.request.contact,
    address: read.request.address,
    notes: read.request.history.map((h) => h.note).filter((n) => n !== null),
  };
};

const NO_PERSONAL_DATA = { description: null, contact: null, address: null, notes: [] };

describe('applyRetention', () => {
  it('anonymises closed requests after N days, deletes requests withdrawn before triage after 6 weeks, and is harmless twice', async () => {
    at('2026-01-05T10:00:00Z');
    const oldClosed = await closedRequest('Sleutel ligt bij de buren op nummer 14');
    const withdrawnEarly = (await t.world.submit()).reference;
    await transition(t.world.ctx, withdrawnEarly, 'cancelled', 'resident');
    const cancelledAfterTriage = (await t.world.submit()).reference;
    await transition(t.world.ctx, cancelledAfterTriage, 'triaged', STAFF);
    await transition(t.world.ctx, cancelledAfterTriage, 'cancelled', STAFF);

    at('2026-02-10T10:00:00Z');
    const recentClosed = await closedRequest();
    const withdrawnRecently = (await t.world.submit()).reference;
    await transition(t.world.ctx, withdrawnRecently, 'cancelled', 'resident');
    const open = (await t.world.submit()).reference;

    const policy = {
      now: new Date('2026-02-20T10:00:00Z'),
      anonymiseClosedAfterDays: 30,
      deleteWithdrawnAfterDays: 42,
    };
    expect(await applyRetention(t.world.ctx, policy)).toEqual({ anonymised: 2, deleted: 1 });
    const auditAfterFirst = await t.world.count('request_audit');
    expect(await applyRetention(t.world.ctx, policy)).toEqual({ anonymised: 0, deleted: 0 });
    expect(await t.world.count('request_audit')).toBe(auditAfterFirst);

    expect(await personalData(oldClosed.reference)).toEqual(NO_PERSONAL_DATA);
    expect(await personalData(cancelledAfterTriage)).toEqual(NO_PERSONAL_DATA);
    for (const kept of [recentClosed.reference, withdrawnRecently, open]) {
      expect((await personalData(kept)).description).toContain('dakgoot');
    }
    // Deleted entirely, history and all; the audit trail keeps the reference only.
    expect((await readRequest(t.world.ctx, withdrawnEarly, STAFF, 'test')).ok).toBe(false);
    const { rows } = await t.world.ctx.db.execute(
      `SELECT count(*) AS n FROM request_events e LEFT JOIN requests r ON r.id = e.request_id WHERE r.id IS NULL`,
    );
    expect(Number(rows[0]?.n)).toBe(0);
    expect(await listRequestAudit(t.world.ctx, { reference: withdrawnEarly })).toContainEqual(
      expect.objectContaining({ action: 'request.deleted', actor: 'system', origin: 'retention' }),
    );
    expect(await listRequestAudit(t.world.ctx, { reference: oldClosed.reference })).toContainEqual(
      expect.objectContaining({ action: 'request.anonymised', actor: 'system', origin: 'retention' }),
    );
    // The status token no longer opens anything.
    expect(await publicStatus(t.world.ctx, oldClosed.reference, oldClosed.statusToken)).toEqual({
      ok: false,
      reason: 'not-found',
    });

    // Six weeks after the recent withdrawal it goes too; one day before, it does not.
    expect(
      await applyRetention(t.world.ctx, { ...policy, now: new Date('2026-03-24T09:00:00Z') }),
    ).toMatchObject({ deleted: 0 });
    expect(
      await applyRetention(t.world.ctx, { ...policy, now: new Date('2026-03-24T10:00:00Z') }),
    ).toMatchObject({ deleted: 1 });
  });
});

describe('eraseRequest', () => {
  it('removes the personal data and keeps the anonymous statistics', async () => {
    const { reference, statusToken } = await closedRequest('Mevrouw is slechthorend');
    const other = (await t.world.submit()).reference;
    const before = (await listRequests(t.world.ctx)).items.find((r) => r.reference === reference);
    const reportBefore = await requestReport(t.world.ctx, { from: '2026-03-01', to: '2026-03-31' });

    t.world.ctx.advanceHours(1);
    expect(await eraseRequest(t.world.ctx, reference, 'key:admin1')).toEqual({
      ok: true,
      reference,
      erasedAt: '2026-03-02T10:00:00.000Z',
      alreadyErased: false,
    });
    expect(await personalData(reference)).toEqual(NO_PERSONAL_DATA);
    const { rows } = await t.world.ctx.db.execute({
      sql: 'SELECT description_ct, contact_ct, status_token_hash FROM requests WHERE reference = ?',
      args: [reference],
    });
    expect(rows[0]).toMatchObject({ description_ct: null, contact_ct: null, status_token_hash: null });
    expect(await publicStatus(t.world.ctx, reference, statusToken)).toEqual({
      ok: false,
      reason: 'not-found',
    });

    const after = (await listRequests(t.world.ctx)).items.find((r) => r.reference === reference);
    expect(after).toEqual({ ...before, anonymised: true });
    expect(after).toMatchObject({ category: 'odd-jobs', tier: 'volunteers', status: 'closed', area: '9712' });
    expect(await requestReport(t.world.ctx, { from: '2026-03-01', to: '2026-03-31' })).toEqual(reportBefore);
    // Someone else's request is untouched.
    expect((await personalData(other)).contact?.name).toBe('Jantje Veenstra');

    expect(await eraseRequest(t.world.ctx, reference, 'key:admin1')).toMatchObject({
      ok: true,
      alreadyErased: true,
    });
    expect(await eraseRequest(t.world.ctx, 'GRO-2026-999999', 'key:admin1')).toEqual({
      ok: false,
      reason: 'not-found',
    });
  });
});
