import { REQUEST_STATUSES, type RequestStatus } from '@wijkteams/db';
import { describe, expect, it } from 'vitest';
import {
  listRequestAudit,
  listRequests,
  offerRequest,
  overdueRequests,
  readRequest,
  respondToOffer,
  TRANSITIONS,
  transition,
  withdrawWithToken,
} from '../src/index.ts';
import { STAFF, worldPerTest } from './helpers.ts';

const t = worldPerTest();
const ALL: readonly RequestStatus[] = REQUEST_STATUSES;

/** A new request brought to `status` through the real flow. */
async function requestAt(status: RequestStatus, input = {}): Promise<string> {
  const { reference } = await t.world.submit(input);
  const path: Record<RequestStatus, RequestStatus[]> = {
    received: [],
    triaged: ['triaged'],
    offered: ['triaged', 'offered'],
    accepted: ['triaged', 'offered', 'accepted'],
    in_progress: ['triaged', 'offered', 'accepted', 'in_progress'],
    resolved: ['triaged', 'offered', 'accepted', 'in_progress', 'resolved'],
    closed: ['triaged', 'offered', 'accepted', 'in_progress', 'resolved', 'closed'],
    cancelled: ['cancelled'],
    referred: ['referred'],
  };
  for (const step of path[status]) {
    const outcome =
      step === 'offered'
        ? await offerRequest(t.world.ctx, reference, t.providers.volunteers, STAFF)
        : await transition(t.world.ctx, reference, step, STAFF);
    if (!outcome.ok) throw new Error(`${reference} to ${step}: ${JSON.stringify(outcome)}`);
  }
  return reference;
}

describe('the status flow', () => {
  it('walks received → triaged → offered → accepted → in_progress → resolved → closed', async () => {
    const reference = await requestAt('closed');
    const read = await readRequest(t.world.ctx, reference, STAFF, 'test');
    expect(read.ok && read.request.history.map((h) => h.to)).toEqual([
      'received',
      'triaged',
      'offered',
      'accepted',
      'in_progress',
      'resolved',
      'closed',
    ]);
  });

  it.each(ALL)(
    'from %s allows exactly the transitions of the flow and answers the rest with a value',
    async (from) => {
      for (const to of ALL) {
        const reference = await requestAt(from);
        const outcome = await transition(t.world.ctx, reference, to, STAFF);
        if (!TRANSITIONS[from].includes(to)) {
          expect(outcome).toEqual({ ok: false, reason: 'illegal-transition', from, to });
          const still = await readRequest(t.world.ctx, reference, STAFF, 'test');
          expect(still.ok && still.request.status).toBe(from);
        } else if (to === 'offered') {
          expect(outcome).toEqual({ ok: false, reason: 'provider-required' });
        } else {
          expect(outcome.ok).toBe(true);
        }
      }
    },
  );

  it('lets an open request be cancelled, but not a resolved or closed one', async () => {
    for (const status of ['received', 'triaged', 'offered', 'accepted', 'in_progress'] as const) {
      expect(await transition(t.world.ctx, await requestAt(status), 'cancelled', STAFF)).toMatchObject({
        ok: true,
      });
    }
    for (const status of ['resolved', 'closed', 'cancelled'] as const) {
      expect(await transition(t.world.ctx, await requestAt(status), 'cancelled', STAFF)).toMatchObject({
        ok: false,
        reason: 'illegal-transition',
      });
    }
  });

  it('audits an illegal transition as denied', async () => {
    const reference = await requestAt('received');
    await transition(t.world.ctx, reference, 'resolved', STAFF);
    expect(await listRequestAudit(t.world.ctx, { reference })).toContainEqual(
      expect.objectContaining({
        action: 'request.transition',
        result: 'denied',
        actor: STAFF,
        detail: 'received->resolved',
      }),
    );
  });

  it('lets the resident cancel with the status token, and nobody without it', async () => {
    const { reference, statusToken } = await t.world.submit();
    expect(await withdrawWithToken(t.world.ctx, reference, 'wrong-token')).toEqual({
      ok: false,
      reason: 'not-found',
    });
    expect(await withdrawWithToken(t.world.ctx, reference, statusToken)).toMatchObject({
      ok: true,
      status: { status: 'cancelled', withdrawable: false },
    });
    const read = await readRequest(t.world.ctx, reference, STAFF, 'test');
    expect(read.ok && read.request.history.at(-1)).toMatchObject({ actor: 'resident', to: 'cancelled' });
  });

  it('treats offered → triaged by staff as a decline: on to the next tier', async () => {
    const reference = await requestAt('offered');
    expect(await transition(t.world.ctx, reference, 'triaged', STAFF, 'Vrijwilliger ziek')).toMatchObject({
      ok: true,
      request: { status: 'triaged', tier: 'woonservice' },
    });
  });

  it('stores a note encrypted and shows it to readers only', async () => {
    const reference = await requestAt('triaged');
    await transition(
      t.world.ctx,
      reference,
      'referred',
      STAFF,
      'Doorverwezen naar de huisarts van mevrouw Bakker',
    );
    const { rows } = await t.world.ctx.db.execute(
      'SELECT note_ct FROM request_events WHERE note_ct IS NOT NULL',
    );
    expect(String(rows[0]?.note_ct)).toMatch(/^v1\./);
    expect(String(rows[0]?.note_ct)).not.toContain('Bakker');
    const read = await readRequest(t.world.ctx, reference, STAFF, 'test');
    expect(read.ok && read.request.history.at(-1)?.note).toBe(
      'Doorverwezen naar de huisarts van mevrouw Bakker',
    );
  });

  it('answers an unknown reference with not-found', async () => {
    expect(await transition(t.world.ctx, 'GRO-2026-999999', 'triaged', STAFF)).toEqual({
      ok: false,
      reason: 'not-found',
    });
    expect(await respondToOffer(t.world.ctx, 'nonsense', t.providers.volunteers, 'accept')).toEqual({
      ok: false,
      reason: 'not-found',
    });
  });

  it('lets only one of two concurrent moves from the same state happen', async () => {
    const reference = await requestAt('received');
    const other = await t.world.open();
    const outcomes = await Promise.all([
      transition(t.world.ctx, reference, 'triaged', STAFF),
      transition({ ...t.world.ctx, db: other }, reference, 'cancelled', 'resident'),
    ]);
    const read = await readRequest(t.world.ctx, reference, STAFF, 'test');
    if (!read.ok) throw new Error('not found');
    // Both may succeed one after the other (triaged, then cancelled), never from the same state twice.
    const fromReceived = read.request.history.filter((h) => h.from === 'received');
    expect(fromReceived).toHaveLength(1);
    expect(outcomes.filter((o) => o.ok).length).toBe(read.request.history.length - 1);
  });
});

describe('overdue requests', () => {
  it('lists open requests past their category SLA, and not closed, resolved or fresh ones', async () => {
    // Received Monday 2 March 2026, 10:00; SLAs count working days and end at that clock time.
    const errand = await requestAt('triaged', { category: 'errands' }); // SLA 3 working days: Thursday 5 March
    const odd = await requestAt('received'); // SLA 10 working days: Monday 16 March
    const resolved = await requestAt('resolved', { category: 'errands' });
    const fourDaysLater = new Date('2026-03-06T09:00:00Z');

    expect((await overdueRequests(t.world.ctx, fourDaysLater)).map((r) => r.reference)).toEqual([errand]);
    expect(await overdueRequests(t.world.ctx, new Date('2026-03-05T08:59:00Z'))).toEqual([]);
    // Eleven calendar days later is not yet ten working days.
    expect(
      (await overdueRequests(t.world.ctx, new Date('2026-03-13T09:00:00Z'))).map((r) => r.reference),
    ).toEqual([errand]);
    const pastTenWorkingDays = new Date('2026-03-16T09:01:00Z');
    expect((await overdueRequests(t.world.ctx, pastTenWorkingDays)).map((r) => r.reference)).toEqual([
      errand,
      odd,
    ]);

    t.world.ctx.setNow(fourDaysLater);
    const { items } = await listRequests(t.world.ctx, { overdue: true, limit: 10 });
    expect(items.map((r) => r.reference)).toEqual([errand]);
    expect(items[0]?.overdue).toBe(true);
    const notOverdue = await listRequests(t.world.ctx, { overdue: false, limit: 10 });
    expect(notOverdue.items.map((r) => r.reference).sort()).toEqual([odd, resolved].sort());
  });
});

describe('listRequests', () => {
  it('filters and pages newest first, without personal data', async () => {
    const refs = [];
    for (let i = 0; i < 5; i++)
      refs.push((await t.world.submit({ category: i % 2 ? 'errands' : 'odd-jobs' })).reference);
    const first = await listRequests(t.world.ctx, { limit: 2 });
    expect(first.items.map((r) => r.reference)).toEqual([refs[4], refs[3]]);
    const second = await listRequests(t.world.ctx, { limit: 2, cursor: first.nextCursor ?? '' });
    expect(second.items.map((r) => r.reference)).toEqual([refs[2], refs[1]]);
    const third = await listRequests(t.world.ctx, { limit: 2, cursor: second.nextCursor ?? '' });
    expect(third).toMatchObject({ items: [{ reference: refs[0] }], nextCursor: null });

    expect((await listRequests(t.world.ctx, { category: 'errands' })).items).toHaveLength(2);
    expect(
      (await listRequests(t.world.ctx, { status: 'received', team: t.world.teams.centrum })).items,
    ).toHaveLength(5);
    expect((await listRequests(t.world.ctx, { team: t.world.teams.oost })).items).toHaveLength(0);
    expect(JSON.stringify(first)).not.toMatch(/Jantje|dakgoot|example\.nl|12345678/);
  });
});
