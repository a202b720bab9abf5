import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eraseRequest, listRequestAudit, readRequest, transition } from '../src/index.ts';
import { makeWorld, type World } from './helpers.ts';

let world: World;
beforeEach(async () => {
  world = await makeWorld();
});
afterEach(() => world.close());

describe('the request audit trail', () => {
  it('records creation, every read and every transition with actor, time and origin', async () => {
    const { reference } = await world.submit();
    world.ctx.advanceHours(1);
    await readRequest(world.ctx, reference, 'key:reader1', '198.51.100.4');
    world.ctx.advanceHours(1);
    await transition(world.ctx, reference, 'triaged', 'key:triage1');
    world.ctx.advanceHours(1);
    await eraseRequest(world.ctx, reference, 'key:admin1');

    const rows = await listRequestAudit(world.ctx, { reference });
    expect(
      rows.reverse().map(({ at, actor, action, result, origin, detail }) => ({
        at,
        actor,
        action,
        result,
        origin,
        detail,
      })),
    ).toEqual([
      {
        at: '2026-03-02T09:00:00.000Z',
        actor: 'resident',
        action: 'request.created',
        result: 'success',
        origin: '203.0.113.7',
        detail: null,
      },
      {
        at: '2026-03-02T10:00:00.000Z',
        actor: 'key:reader1',
        action: 'request.read',
        result: 'success',
        origin: '198.51.100.4',
        detail: null,
      },
      {
        at: '2026-03-02T11:00:00.000Z',
        actor: 'key:triage1',
        action: 'request.transition',
        result: 'success',
        origin: '203.0.113.7',
        detail: 'received->triaged',
      },
      {
        at: '2026-03-02T12:00:00.000Z',
        actor: 'key:admin1',
        action: 'request.erased',
        result: 'success',
        origin: '203.0.113.7',
        detail: null,
      },
    ]);
  });

  it('records a read of a reference that does not exist', async () => {
    expect(await readRequest(world.ctx, 'GRO-2026-000404', 'key:reader1', '198.51.100.4')).toEqual({
      ok: false,
      reason: 'not-found',
    });
    expect(await listRequestAudit(world.ctx, { reference: 'GRO-2026-000404' })).toMatchObject([
      { action: 'request.read', result: 'not-found', actor: 'key:reader1' },
    ]);
  });

  it('holds no personal data', async () => {
    await world.submit();
    const { rows } = await world.ctx.db.execute('SELECT * FROM request_audit');
    expect(JSON.stringify(rows)).not.toMatch(/Jantje|dakgoot|example\.nl|12345678|9712/);
  });

  it('is append-only: rows cannot be changed or removed, by any writer', async () => {
    const { reference } = await world.submit();
    await readRequest(world.ctx, reference, 'key:reader1', 'test');
    const before = await world.count('request_audit');
    await expect(world.ctx.db.execute("UPDATE request_audit SET actor = 'someone-else'")).rejects.toThrow(
      /append-only/,
    );
    await expect(world.ctx.db.execute('DELETE FROM request_audit')).rejects.toThrow(/append-only/);
    expect(await world.count('request_audit')).toBe(before);
  });

  it('keeps the history of a request from being rewritten', async () => {
    const { reference } = await world.submit();
    await transition(world.ctx, reference, 'triaged', 'key:triage1', 'notitie');
    await expect(world.ctx.db.execute("UPDATE request_events SET actor = 'someone-else'")).rejects.toThrow(
      /cannot be changed/,
    );
    await expect(
      world.ctx.db.execute("UPDATE request_events SET note_ct = 'v1.forged.note'"),
    ).rejects.toThrow(/only be erased/);
    await expect(world.ctx.db.execute('UPDATE request_events SET note_ct = NULL')).resolves.toBeTruthy();
  });
});
