import { ExpiringLru } from '@wijkteams/access';
import type { Tenant } from '@wijkteams/db';

const UNKNOWN = {};

/**
 * Tenants by slug, per isolate, least recently used out first: the control plane is asked at most
 * once per slug per TTL. Unknown slugs are remembered for a shorter time and apart from the known
 * ones, so that a stream of made-up slugs cannot push real tenants out. A change made in this
 * isolate (suspension) is forgotten at once.
 */
export class TenantCache {
  readonly #known: ExpiringLru<Tenant>;
  readonly #unknown: ExpiringLru<object>;
  #byCode: { tenants: Map<string, Tenant>; expires: number } | undefined;

  constructor(
    readonly ttlMs: number,
    readonly negativeTtlMs = Math.min(5_000, ttlMs),
    readonly maxEntries = 1_000,
    readonly now: () => number = () => Date.now(),
  ) {
    this.#known = new ExpiringLru(ttlMs, maxEntries, now);
    this.#unknown = new ExpiringLru(negativeTtlMs, maxEntries, now);
  }

  /** The tenant of a slug; `load` is called only for a slug this isolate does not remember. */
  async get(slug: string, load: (slug: string) => Promise<Tenant | undefined>): Promise<Tenant | undefined> {
    const known = this.#known.get(slug);
    if (known) return known;
    if (this.#unknown.get(slug)) return undefined;
    const tenant = await load(slug);
    if (tenant) this.#known.set(slug, tenant);
    else this.#unknown.set(slug, UNKNOWN);
    return tenant;
  }

  /** Which tenant serves a CBS municipality, from one list of all tenants per TTL. */
  async byMunicipality(code: string, loadAll: () => Promise<Tenant[]>): Promise<Tenant | undefined> {
    const now = this.now();
    if (!this.#byCode || this.#byCode.expires <= now) {
      const all = await loadAll();
      this.#byCode = { tenants: new Map(all.map((t) => [t.municipalityCode, t])), expires: now + this.ttlMs };
    }
    return this.#byCode.tenants.get(code);
  }

  forget(slug?: string): void {
    this.#byCode = undefined;
    if (slug === undefined) {
      this.#known.clear();
      this.#unknown.clear();
    } else {
      this.#known.delete(slug);
      this.#unknown.delete(slug);
    }
  }
}
