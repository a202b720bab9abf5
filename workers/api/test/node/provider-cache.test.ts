import { describe, expect, it } from 'vitest';
import { ProviderCache, type RegisteredProvider } from '../../src/provider-cache.ts';

const KLUS: RegisteredProvider = { id: 'prv_klus', name: 'Klusbedrijf', active: true };

/** A cache on a clock the test moves, and a database stand-in that counts its lookups. */
function setup(ttlMs = 5_000) {
  let now = Date.parse('2026-12-01T10:00:00Z');
  const cache = new ProviderCache(ttlMs, 100, () => now);
  const registered = new Map<string, RegisteredProvider>([['prv_klus', KLUS]]);
  let loads = 0;
  const load = async (id: string) => {
    loads += 1;
    return registered.get(id);
  };
  return {
    cache,
    registered,
    load,
    loads: () => loads,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('the provider cache of redemptions', () => {
  it('asks the database once per provider within its lifetime, and again after it', async () => {
    const s = setup();
    expect(await s.cache.get('ten_a', 'prv_klus', s.load)).toEqual(KLUS);
    expect(await s.cache.get('ten_a', 'prv_klus', s.load)).toEqual(KLUS);
    expect(s.loads()).toBe(1);

    s.registered.set('prv_klus', { ...KLUS, active: false });
    s.advance(4_900);
    expect((await s.cache.get('ten_a', 'prv_klus', s.load))?.active).toBe(true);
    s.advance(200);
    expect((await s.cache.get('ten_a', 'prv_klus', s.load))?.active).toBe(false);
    expect(s.loads()).toBe(2);
  });

  it('sees a change made where it lives at once', async () => {
    const s = setup();
    await s.cache.get('ten_a', 'prv_klus', s.load);
    s.registered.set('prv_klus', { ...KLUS, active: false });
    s.cache.forget('ten_a', 'prv_klus');
    expect((await s.cache.get('ten_a', 'prv_klus', s.load))?.active).toBe(false);
  });

  it('does not remember a provider it did not find, so one registered a moment later is paid', async () => {
    const s = setup();
    expect(await s.cache.get('ten_a', 'prv_new', s.load)).toBeUndefined();
    s.registered.set('prv_new', { id: 'prv_new', name: 'Nieuw', active: true });
    expect((await s.cache.get('ten_a', 'prv_new', s.load))?.name).toBe('Nieuw');
  });

  it('keeps the providers of two tenants apart', async () => {
    const s = setup();
    await s.cache.get('ten_a', 'prv_klus', s.load);
    expect(await s.cache.get('ten_b', 'prv_klus', async () => undefined)).toBeUndefined();
  });

  it('remembers nothing with a lifetime of 0', async () => {
    const s = setup(0);
    await s.cache.get('ten_a', 'prv_klus', s.load);
    await s.cache.get('ten_a', 'prv_klus', s.load);
    expect(s.loads()).toBe(2);
  });
});
