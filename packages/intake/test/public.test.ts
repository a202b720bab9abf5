import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publicStatus, transition } from '../src/index.ts';
import { makeWorld, type World } from './helpers.ts';

let world: World;
beforeEach(async () => {
  world = await makeWorld();
});
afterEach(() => world.close());

describe('publicStatus', () => {
  it('gives the status, its dates and the team only, nothing personal', async () => {
    const { reference, statusToken } = await world.submit();
    world.ctx.advanceHours(3);
    await transition(world.ctx, reference, 'triaged', 'key:staff1', 'Mevrouw belt liever na 14:00');

    const outcome = await publicStatus(world.ctx, reference, statusToken);
    expect(outcome).toEqual({
      ok: true,
      status: {
        reference,
        status: 'triaged',
        receivedAt: '2026-03-02T09:00:00.000Z',
        lastChangedAt: '2026-03-02T12:00:00.000Z',
        slaDueAt: '2026-03-16T09:00:00.000Z', // 10 working days, at the clock time of receipt
        team: { id: world.teams.centrum, name: 'WIJ Centrum' },
        timeline: [
          { status: 'received', at: '2026-03-02T09:00:00.000Z' },
          { status: 'triaged', at: '2026-03-02T12:00:00.000Z' },
        ],
        withdrawable: true,
      },
    });
    // Not the resident's details, nor who at the team acted or what they noted.
    expect(JSON.stringify(outcome)).not.toMatch(/Jantje|dakgoot|example\.nl|12345678|9712|14:00|staff1/);
  });

  it('answers a wrong token exactly as an unknown reference', async () => {
    const { reference, statusToken } = await world.submit();
    const other = await world.submit();
    // One character off (a different one whatever the token ends in).
    const last = statusToken.endsWith('A') ? 'B' : 'A';
    const wrongToken = await publicStatus(world.ctx, reference, `${statusToken.slice(0, -1)}${last}`);
    const othersToken = await publicStatus(world.ctx, reference, other.statusToken);
    const unknown = await publicStatus(world.ctx, 'GRO-2026-999999', statusToken);
    const malformed = await publicStatus(world.ctx, '../etc/passwd', statusToken);
    const empty = await publicStatus(world.ctx, reference, '');
    for (const outcome of [wrongToken, othersToken, unknown, malformed, empty]) {
      expect(outcome).toEqual({ ok: false, reason: 'not-found' });
    }
  });
});
