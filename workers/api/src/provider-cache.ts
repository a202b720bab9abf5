import { ExpiringLru } from '@wijkteams/access';

export interface RegisteredProvider {
  id: string;
  name: string;
  active: boolean;
}

/**
 * Registered providers per isolate, for the payee check of redemptions: a burst of redemptions by
 * one provider asks its tenant's database once, not once per voucher. Only providers found are
 * remembered, so one registered a moment ago is paid at once. A change made in this isolate
 * (taking a provider out of service) is forgotten at once; other isolates see it when their entry
 * expires (`ttlMs`, PROVIDER_CACHE_TTL_MS).
 */
export class ProviderCache {
  readonly #entries: ExpiringLru<RegisteredProvider>;

  constructor(
    readonly ttlMs: number,
    readonly maxEntries = 10_000,
    now: () => number = () => Date.now(),
  ) {
    this.#entries = new ExpiringLru(ttlMs, maxEntries, now);
  }

  /** The provider of a tenant; `load` is called only for one this isolate does not remember. */
  async get(
    tenantId: string,
    providerId: string,
    load: (providerId: string) => Promise<RegisteredProvider | undefined>,
  ): Promise<RegisteredProvider | undefined> {
    const key = `${tenantId}/${providerId}`;
    const remembered = this.#entries.get(key);
    if (remembered) return remembered;
    const provider = await load(providerId);
    if (provider) this.#entries.set(key, provider);
    return provider;
  }

  forget(tenantId: string, providerId: string): void {
    this.#entries.delete(`${tenantId}/${providerId}`);
  }
}
