import type { Tenant } from '@wijkteams/db';

/**
 * Tenants by slug, per isolate: the control plane is asked at most once per slug per TTL, unknown
 * slugs included. A change made in this isolate (suspension) is forgotten at once.
 */
export class TenantCache {
  readonly #entries = new Map<string, { tenant: Tenant | undefined; expires: number }>();

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

  forget(slug?: string): void {
    if (slug === undefined) this.#entries.clear();
    else this.#entries.delete(slug);
  }
}
