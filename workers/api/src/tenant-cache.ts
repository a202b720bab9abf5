import type { Tenant } from '@wijkteams/db';

/**
 * Tenants by slug, per isolate: the control plane is asked at most once per slug per TTL, unknown
 * slugs included. A change made in this isolate (suspension) is forgotten at once.
 */
export class TenantCache {
  readonly #entries = new Map<string, { tenant: Tenant | undefined; expires: number }>();
  #byCode: { tenants: Map<string, Tenant>; expires: number } | undefined;

  constructor(
    readonly ttlMs: number,
    readonly maxEntries = 1_000,
  ) {}

  async get(slug: string, load: (slug: string) => Promise<Tenant | undefined>): Promise<Tenant | undefined> {
    const now = Date.now();
    const hit = this.#entries.get(slug);
    if (hit && hit.expires > now) return hit.tenant;
    const tenant = await load(slug);
    if (this.#entries.size >= this.maxEntries) this.#entries.clear();
    this.#entries.set(slug, { tenant, expires: now + this.ttlMs });
    return tenant;
  }

  /** Which tenant serves a CBS municipality, from one list of all tenants per TTL. */
  async byMunicipality(code: string, loadAll: () => Promise<Tenant[]>): Promise<Tenant | undefined> {
    const now = Date.now();
    if (!this.#byCode || this.#byCode.expires <= now) {
      const all = await loadAll();
      this.#byCode = { tenants: new Map(all.map((t) => [t.municipalityCode, t])), expires: now + this.ttlMs };
    }
    return this.#byCode.tenants.get(code);
  }

  forget(slug?: string): void {
    this.#byCode = undefined;
    if (slug === undefined) this.#entries.clear();
    else this.#entries.delete(slug);
  }
}
