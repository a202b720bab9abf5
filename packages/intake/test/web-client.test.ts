/**
 * The same functions over `@libsql/client/web`, as a Worker calls them: Hrana over HTTP, batches
 * only. The local Hrana endpoint of `@wijkteams/local` (a dev dependency) serves the test file.
 */
import { createClient } from '@libsql/client/web';
import { type HranaServer, startHranaServer } from '@wijkteams/local/hrana';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyRetention,
  eraseRequest,
  expireOffers,
  type IntakeContext,
  listRequests,
  offerRequest,
  publicStatus,
  readRequest,
  requestReport,
  respondToOffer,
  submitRequest,
  transition,
} from '../src/index.ts';
import { makeWorld, registerLadderProviders, validInput, type World } from './helpers.ts';

let world: World;
let server: HranaServer;
let web: IntakeContext;
beforeEach(async () => {
  world = await makeWorld();
  server = await startHranaServer({ dataDir: world.dataDir, port: 0 });
  web = { ...world.ctx, db: createClient({ url: `${server.url}/tenant/` }) };
});
afterEach(async () => {
  web.db.close();
  await server.close();
  world.close();
});

describe('over @libsql/client/web', () => {
  it('takes a request through intake, the ladder, reads, status, reports, retention and erasure', async () => {
    const providers = await registerLadderProviders(web);
    const submitted = await submitRequest(web, validInput(), { kind: 'resident' }, world.coverage);
    if (!submitted.ok) throw new Error(JSON.stringify(submitted));
    const { reference, statusToken } = submitted;
    expect(reference).toBe('GRO-2026-000001');

    expect(await transition(web, reference, 'triaged', 'key:staff1')).toMatchObject({ ok: true });
    expect(await offerRequest(web, reference, providers.volunteers, 'key:staff1')).toMatchObject({
      ok: true,
    });
    world.ctx.advanceHours(49);
    expect(await expireOffers(web, { now: world.ctx.clock(), offerTtlHours: 48 })).toMatchObject({
      expired: [{ reference, tier: 'woonservice' }],
    });
    await offerRequest(web, reference, providers.woonservice, 'key:staff1');
    expect(await respondToOffer(web, reference, providers.woonservice, 'accept')).toMatchObject({
      request: { status: 'accepted' },
    });
    expect(await transition(web, reference, 'closed', 'key:staff1')).toMatchObject({
      reason: 'illegal-transition',
    });

    const read = await readRequest(web, reference, 'key:staff1', 'test');
    expect(read).toMatchObject({
      ok: true,
      request: { contact: { name: 'Jantje Veenstra' }, status: 'accepted' },
    });
    expect(await publicStatus(web, reference, statusToken)).toMatchObject({
      ok: true,
      status: { status: 'accepted' },
    });
    expect((await listRequests(web, { status: 'accepted' })).items).toHaveLength(1);
    expect(await requestReport(web, { from: '2026-03-01', to: '2026-03-31' })).toMatchObject({
      ok: true,
      report: { total: 1 },
    });

    await transition(web, reference, 'in_progress', 'key:staff1');
    await transition(web, reference, 'resolved', 'key:staff1');
    await transition(web, reference, 'closed', 'key:staff1');
    const policy = { now: new Date('2026-06-01T00:00:00Z'), anonymiseClosedAfterDays: 30 };
    expect(await applyRetention(web, policy)).toEqual({ anonymised: 1, deleted: 0 });
    expect(await applyRetention(web, policy)).toEqual({ anonymised: 0, deleted: 0 });
    expect(await eraseRequest(web, reference, 'key:admin1')).toMatchObject({ ok: true, alreadyErased: true });
  });

  it('keeps references unique when web and file clients submit at once', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        submitRequest(i % 2 ? web : world.ctx, validInput(), { kind: 'resident' }, world.coverage),
      ),
    );
    const references = outcomes.map((o) => (o.ok ? o.reference : o.reason)).sort();
    expect(references).toEqual(
      Array.from({ length: 20 }, (_, i) => `GRO-2026-${String(i + 1).padStart(6, '0')}`),
    );
  });
});
