import type { ApiKey } from '@wijkteams/db';

/**
 * In-isolate cache of key rows by hash, so that a request with a known key costs one SHA-256 and
 * no database round trip. Unknown hashes are cached too (shorter), so that random keys cannot make
 * every request hit the control database. A revocation empties the entry in the isolate that made
 * it at once; other isolates see it when their entry expires (`ttlMs`).
 */
export class KeyCache {
  readonly #entries = new Map<string, { key: ApiKey | undefined; expires: number }>();
  readonly #touched = new Map<string, number>();

  constructor(
    readonly ttlMs: number,
    readonly negativeTtlMs: number,
    readonly maxEntries = 10_000,
  ) {}

  /** Wraps a database lookup. */
  lookup(load: (hash: string) => Promise<ApiKey | undefined>, now: () => number = Date.now) {
    return async (hash: string): Promise<ApiKey | undefined> => {
      const hit = this.#entries.get(hash);
      if (hit && hit.expires > now()) return hit.key;
      const key = await load(hash);
      if (this.#entries.size >= this.maxEntries) this.#entries.clear();
      this.#entries.set(hash, { key, expires: now() + (key ? this.ttlMs : this.negativeTtlMs) });
      return key;
    };
  }

  /** Whether to record a key's last use now: at most once a minute per key per isolate. */
  shouldTouch(keyId: string, now: number, everyMs = 60_000): boolean {
    const last = this.#touched.get(keyId);
    if (last !== undefined && now - last < everyMs) return false;
    if (this.#touched.size >= this.maxEntries) this.#touched.clear();
    this.#touched.set(keyId, now);
    return true;
  }

  forget(hash: string): void {
    this.#entries.delete(hash);
  }

  clear(): void {
    this.#entries.clear();
  }
}
