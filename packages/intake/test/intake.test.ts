import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listRequests, readRequest, submitRequest } from '../src/index.ts';
import { makeWorld, START, validInput, type World } from './helpers.ts';

let world: World;
beforeEach(async () => {
  world = await makeWorld();
});
afterEach(() => world.close());

const TABLES = ['requests', 'request_events', 'request_audit', 'request_counters'];
const counts = () => Promise.all(TABLES.map((t) => world.count(t)));

describe('routing', () => {
  it('sends a request to the team whose coverage serves the address', async () => {
    const outcome = await world.submit({ postcode: '9733 CD', houseNumber: 4 });
    expect(outcome.team).toEqual({ id: world.teams.oost, name: 'WIJ Oost' });
    expect(outcome.routedToDefault).toBe(false);
  });

  it('follows the most specific rule: a house-number range beats its PC4', async () => {
    const odd = await world.submit({ postcode: '9733AB', houseNumber: 7 });
    const even = await world.submit({ postcode: '9733AB', houseNumber: 8 });
    expect(odd.team.name).toBe('WIJ West');
    expect(even.team.name).toBe('WIJ Oost');
  });

  it('sends a postcode of the municipality that no rule covers to the default intake team, flagged', async () => {
    const outcome = await world.submit({ postcode: '9711 AA' });
    expect(outcome.team).toEqual({ id: world.teams.centrum, name: 'WIJ Centrum' });
    expect(outcome.routedToDefault).toBe(true);
    const { items } = await listRequests(world.ctx);
    expect(items[0]).toMatchObject({
      routedToDefault: true,
      area: '9711',
      team: { id: world.teams.centrum },
    });
  });

  it('refuses a postcode of another municipality, naming it, and stores nothing', async () => {
    const before = await counts();
    const outcome = await submitRequest(
      world.ctx,
      validInput({ postcode: '1011 AB' }),
      { kind: 'resident' },
      world.coverage,
    );
    expect(outcome).toEqual({
      ok: false,
      reason: 'outside-municipality',
      postcode: '1011 AB',
      municipality: { code: 'GM0363', name: 'Amsterdam' },
    });
    expect(await counts()).toEqual(before);
  });

  it('is not flagged when a rule decided', async () => {
    expect((await world.submit({ postcode: '9712 CP' })).routedToDefault).toBe(false);
  });
});

describe('strict input', () => {
  it('rejects an unknown field such as a BSN, and stores nothing', async () => {
    const before = await counts();
    const outcome = await submitRequest(
      world.ctx,
      { ...validInput(), bsn: '123456782' },
      { kind: 'resident' },
      world.coverage,
    );
    expect(outcome).toEqual({
      ok: false,
      reason: 'invalid-input',
      invalidParams: [{ name: 'bsn', reason: 'Unknown field' }],
    });
    expect(JSON.stringify(outcome)).not.toContain('123456782');
    expect(await counts()).toEqual(before);
  });

  it('rejects an unknown field inside contact too', async () => {
    const outcome = await submitRequest(
      world.ctx,
      validInput({ contact: { name: 'A', email: 'a@example.nl', bsn: '1' } as never }),
      { kind: 'resident' },
      world.coverage,
    );
    expect(outcome).toMatchObject({ invalidParams: [{ name: 'contact.bsn', reason: 'Unknown field' }] });
  });

  it('lists every invalid field at once, without repeating what was typed', async () => {
    const before = await counts();
    const outcome = await submitRequest(
      world.ctx,
      {
        postcode: '5678SS',
        houseNumber: 1.5,
        category: 'knitting',
        description: 'x'.repeat(4001),
        contact: { name: 'Geheime Naam', email: 'geheim@@voorbeeld' },
        consent: false,
      },
      { kind: 'resident' },
      world.coverage,
    );
    if (outcome.ok || outcome.reason !== 'invalid-input') throw new Error('expected invalid input');
    expect(outcome.invalidParams.map((p) => p.name).sort()).toEqual(
      ['category', 'consent', 'contact.email', 'description', 'houseNumber', 'postcode'].sort(),
    );
    const text = JSON.stringify(outcome);
    expect(text).not.toContain('Geheime');
    expect(text).not.toContain('geheim@@voorbeeld');
    expect(text).not.toContain('xxxx');
    expect(text).not.toMatch(/5678|SS/);
    expect(await counts()).toEqual(before);
  });

  it('needs an e-mail address or a phone number', async () => {
    const outcome = await submitRequest(
      world.ctx,
      validInput({ contact: { name: 'Jantje' } }),
      { kind: 'resident' },
      world.coverage,
    );
    expect(outcome).toMatchObject({ invalidParams: [{ name: 'contact' }] });
    await expect(world.submit({ contact: { name: 'Jantje', phone: '050 123 4567' } })).resolves.toBeTruthy();
    await expect(world.submit({ contact: { name: 'Jantje', email: 'j@example.nl' } })).resolves.toBeTruthy();
  });

  it('takes a description of 1 to 4000 characters', async () => {
    await expect(world.submit({ description: 'x'.repeat(4000) })).resolves.toBeTruthy();
    for (const description of ['', '   ', 'x'.repeat(4001)]) {
      const outcome = await submitRequest(
        world.ctx,
        validInput({ description }),
        { kind: 'resident' },
        world.coverage,
      );
      expect(outcome).toMatchObject({ ok: false, invalidParams: [{ name: 'description' }] });
    }
  });

  it('requires transport to be booked with a date and time at least 24 hours ahead', async () => {
    const transport = (preferredAt?: string) =>
      submitRequest(
        world.ctx,
        validInput({ category: 'transport', ...(preferredAt ? { preferredAt } : {}) }),
        { kind: 'resident' },
        world.coverage,
      );
    expect(await transport()).toMatchObject({ ok: false, invalidParams: [{ name: 'preferredAt' }] });
    expect(await transport('2026-03-03T08:59:00Z')).toMatchObject({
      ok: false,
      invalidParams: [{ name: 'preferredAt', reason: 'Book at least 24 hours ahead' }],
    });
    expect(await transport('2026-03-03T10:00:00+01:00')).toMatchObject({ ok: true });
    expect(await world.count('requests')).toBe(1);
  });
});

describe('references', () => {
  it('are <CODE>-<YEAR>-<6 digits>, counted per year', async () => {
    const first = await world.submit();
    const second = await world.submit();
    expect(first.reference).toBe('GRO-2026-000001');
    expect(second.reference).toBe('GRO-2026-000002');
    // The Dutch new year, one hour before it is new year in UTC.
    world.ctx.setNow('2026-12-31T23:30:00Z');
    expect((await world.submit()).reference).toBe('GRO-2027-000001');
  });

  it('stay unique and gap-free under 50 concurrent submissions from 50 clients on one file', async () => {
    const clients = await Promise.all(Array.from({ length: 50 }, () => world.open()));
    const outcomes = await Promise.all(
      clients.map((db) =>
        submitRequest({ ...world.ctx, db }, validInput(), { kind: 'resident' }, world.coverage),
      ),
    );
    const references = outcomes.map((o) => (o.ok ? o.reference : o.reason));
    expect(new Set(references).size).toBe(50);
    expect([...references].sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => `GRO-2026-${String(i + 1).padStart(6, '0')}`),
    );
    expect(await world.count('requests')).toBe(50);
  });

  it('stay unique and gap-free when four processes submit at the same moment', async () => {
    const script = fileURLToPath(new URL('./fixtures/submit-burst.ts', import.meta.url));
    const startAt = Date.now() + 2_500;
    const run = () =>
      new Promise<string[]>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script], {
          env: { ...process.env, DATA_DIR: world.dataDir, COUNT: '15', START_AT: String(startAt) },
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
        });
        child.stderr.on('data', (chunk) => {
          err += chunk;
        });
        child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(err))));
      });
    const references = (await Promise.all([run(), run(), run(), run()])).flat();
    expect(references).toHaveLength(60);
    expect([...references].sort()).toEqual(
      Array.from({ length: 60 }, (_, i) => `GRO-2026-${String(i + 1).padStart(6, '0')}`),
    );
    expect(await world.count('requests')).toBe(60);
    expect(await world.count("request_audit WHERE action = 'request.created'")).toBe(60);
  }, 60_000);
});

describe('privacy at rest', () => {
  it('keeps the description, contact details, address and status token out of the database file', async () => {
    const description =
      'Mijn buurvrouw Grietje heeft hulp nodig met de vuilnisbakken, zij woont op nummer 12';
    const outcome = await world.submit({
      description,
      postcode: '9712CP',
      contact: { name: 'Hendrikje Uitdebosch', email: 'hendrikje@uitdebosch.nl', phone: '0612398765' },
    });
    await world.ctx.db.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    const disk = (await world.bytesOnDisk()).toString('latin1');
    // The search itself works: the reference is stored in the clear.
    expect(disk).toContain(outcome.reference);
    for (const secret of [
      description,
      'Grietje',
      'Hendrikje',
      'Uitdebosch',
      'hendrikje@uitdebosch.nl',
      '0612398765',
      '9712CP',
      outcome.statusToken,
    ]) {
      expect(disk).not.toContain(secret);
    }
  });

  it('stores the status token as its SHA-256 only; the token carries at least 128 bits', async () => {
    const { reference, statusToken } = await world.submit();
    expect(statusToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { rows } = await world.ctx.db.execute({
      sql: 'SELECT status_token_hash FROM requests WHERE reference = ?',
      args: [reference],
    });
    const digest = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(statusToken)));
    expect(rows[0]?.status_token_hash).toBe(digest.toString('hex'));
    expect((await world.submit()).statusToken).not.toBe(statusToken);
  });

  it('decrypts only in readRequest, and records who submitted', async () => {
    const outcome = await submitRequest(
      world.ctx,
      validInput({ postcode: '9712cp', houseNumber: 3 }),
      { kind: 'partner', keyId: 'key_partner1' },
      world.coverage,
    );
    if (!outcome.ok) throw new Error('expected ok');
    const { items } = await listRequests(world.ctx);
    expect(JSON.stringify(items)).not.toContain('Jantje');
    expect(items[0]?.submittedBy).toEqual({ kind: 'partner', keyId: 'key_partner1' });

    const read = await readRequest(world.ctx, outcome.reference, 'key:staff1', '198.51.100.4');
    expect(read).toMatchObject({
      ok: true,
      request: {
        description: validInput().description,
        contact: { name: 'Jantje Veenstra', email: 'jantje.veenstra@example.nl', phone: '06 12345678' },
        address: { postcode: '9712CP', houseNumber: 3 },
        receivedAt: START.toISOString(),
        history: [{ to: 'received', from: null, actor: 'key:key_partner1' }],
      },
    });
  });

  it('does not open a ciphertext moved into another request', async () => {
    const a = await world.submit({ description: 'eerste' });
    const b = await world.submit({ description: 'tweede' });
    await world.ctx.db.execute({
      sql: `UPDATE requests SET description_ct = (SELECT description_ct FROM requests WHERE reference = ?)
            WHERE reference = ?`,
      args: [a.reference, b.reference],
    });
    await expect(readRequest(world.ctx, b.reference, 'key:staff1', 'test')).rejects.toThrow();
  });
});

describe('SLA deadlines', () => {
  it('count working days in the tenant’s calendar and end at the clock time of receipt, across DST and Easter', async () => {
    // Wednesday 25 March 2026, 10:15 winter time. Odd jobs: 10 working days.
    world.ctx.setNow('2026-03-25T09:15:00Z');
    const plain = await world.submit();
    // 26, 27, 30, 31 March, 1, 2, 3 April, not Easter Monday 6 April, then 7, 8, 9 April: 10:15 summer time.
    expect(plain.slaDueAt).toBe('2026-04-09T08:15:00.000Z');

    // A municipality that closes on Good Friday loses that day too.
    world.ctx.calendar = { liberationDay: 'every-year', goodFriday: true, closedDays: [] };
    expect((await world.submit()).slaDueAt).toBe('2026-04-10T08:15:00.000Z');
    world.ctx.calendar = undefined;
  });
});
