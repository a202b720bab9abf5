/// <reference types="@cloudflare/vitest-pool-workers/types" />
import { SELF } from 'cloudflare:test';
import { addWorkingDays } from '@wijkteams/time';
import { beforeAll, describe, expect, it } from 'vitest';

/** Noordoostpolder runs itself in workerd with a key that has nothing but tenant:admin. */
const BASE = 'https://api.example/v1/noordoostpolder';
const PLATFORM = { Authorization: 'Bearer workers-test-admin-key-0123456789' };
let own: Record<string, string>;

const send = (path: string, method: string, body: unknown, auth = own) =>
  SELF.fetch(`${BASE}${path}`, {
    method,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { ...auth, 'Content-Type': typeof body === 'string' ? 'text/csv' : 'application/json' },
  });

beforeAll(async () => {
  const res = await send('/api-keys', 'POST', { name: 'Beheer', scopes: ['tenant:admin'] }, PLATFORM);
  expect(res.status).toBe(201);
  own = { Authorization: `Bearer ${((await res.json()) as { key: string }).key}` };
});

describe('a municipality’s own admin in workerd', () => {
  it('changes its settings within the caps, and gets 403 above them', async () => {
    const res = await send('/settings', 'PATCH', {
      offerTimeoutHours: 24,
      slaCalendar: { liberationDay: 'never', goodFriday: true, closedDays: [] },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ offerTimeoutHours: 24, referencePrefix: 'NOO' });
    const above = await send('/settings', 'PATCH', { keyRateLimitPerMinute: 100_000 });
    expect(above.status).toBe(403);
    expect(await above.json()).toMatchObject({ type: 'urn:wijkteams:problem:above-cap' });
  });

  it('adds a category whose SLA counts working days in its calendar, to the clock time of receipt', async () => {
    const category = await send('/categories', 'POST', {
      slug: 'samen-koken',
      name: { nl: 'Samen koken', en: 'Cooking together' },
      slaDays: 5,
    });
    expect(category.status).toBe(201);
    const before = new Date();
    const res = await send(
      '/requests',
      'POST',
      {
        postcode: '8301 AA',
        category: 'samen-koken',
        description: 'Samen een maaltijd koken.',
        contact: { name: 'Test', email: 'test@example.org' },
        consent: true,
      },
      {},
    );
    expect(res.status).toBe(201);
    const { slaDueAt, reference } = (await res.json()) as { slaDueAt: string; reference: string };
    expect(reference).toMatch(/^NOO-/);
    const calendar = { liberationDay: 'never', goodFriday: true, closedDays: [] } as const;
    const due = new Date(slaDueAt).getTime();
    // Received between `before` and now: due 5 working days later at that clock time, not 5 × 24 h.
    expect(due).toBeGreaterThanOrEqual(addWorkingDays(before, 5, calendar).getTime());
    expect(due).toBeLessThanOrEqual(addWorkingDays(new Date(), 5, calendar).getTime());
  });

  it('exports its coverage in the format it imports, byte for byte, and an inactive team answers no lookup', async () => {
    const { teams } = (await (await SELF.fetch(`${BASE}/teams`)).json()) as {
      teams: { id: string; isDefaultIntake: boolean }[];
    };
    const dorpen = teams.find((t) => !t.isDefaultIntake)?.id ?? '';
    const emmeloord = teams.find((t) => t.isDefaultIntake)?.id ?? '';
    const exported = async () =>
      (await SELF.fetch(`${BASE}/postcode-areas`, { headers: { ...own, Accept: 'text/csv' } })).text();
    const first = await exported();
    expect(first.split('\n')[0]).toBe('teamId,postcode,houseFrom,houseTo,parity,validFrom,validTo');
    expect((await send('/postcode-areas', 'PUT', first)).status).toBe(200);
    expect(await exported()).toBe(first);

    const lookup = async () =>
      ((await (await SELF.fetch(`${BASE}/postcodes/8307AA`)).json()) as { team: { id: string } }).team.id;
    expect(await lookup()).toBe(dorpen);
    expect((await send(`/teams/${dorpen}`, 'PATCH', { active: false })).status).toBe(200);
    expect(await lookup()).toBe(emmeloord);
    expect((await send(`/teams/${dorpen}`, 'PATCH', { active: true })).status).toBe(200);
    expect(await lookup()).toBe(dorpen);
  });
});
