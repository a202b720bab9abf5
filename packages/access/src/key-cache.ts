import type { ApiKey } from '@wijkteams/db';
import { LRUCache } from 'lru-cache';

/**
 * A size-bounded map whose entries expire: least recently used goes first when full, never
 * everything at once. No timers (a Worker may not keep them between requests): an entry past its
 * time is dropped when it is next asked for. A TTL of 0 keeps nothing.
 */
export class ExpiringLru<V extends object> {
  readonly #entries: LRUCache<string, V>;

  constructor(
    readonly ttlMs: number,
    readonly max: number,
    now: () => number = () => Date.now(),
  ) {
    this.#entries = new LRUCache<string, V>({
      max,
      ttl: Math.max(1, ttlMs),
      ttlResolution: 0,
      perf: { now },
    });
  }

  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  set(key: string, value: V): void {
    if (this.ttlMs > 0) this.#entries.set(key, value);
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}

const UNKNOWN = {};

/**
 * In-isolate cache of key rows by hash, so that a request with a known key costs one SHA-256 and
 * no database round trip. Unknown hashes are remembered too (shorter, and apart, so that random keys
 * cannot push known ones out). A revocation empties the entry in the isolate that made it at once;
 * other isolates see it when their entry expires (`ttlMs`).
 */
export class KeyCache {
  readonly #known: ExpiringLru<ApiKey>;
  readonly #unknown: ExpiringLru<object>;
  readonly #touched: LRUCache<string, number>;

  constructor(
    readonly ttlMs: number,
    readonly negativeTtlMs: number,
    readonly maxEntries = 10_000,
    readonly now: () => number = () => Date.now(),
  ) {
    this.#known = new ExpiringLru(ttlMs, maxEntries, now);
    this.#unknown = new ExpiringLru(negativeTtlMs, maxEntries, now);
    this.#touched = new LRUCache({ max: maxEntries });
  }

  /** Wraps a database lookup: called only for a hash this isolate does not remember. */
  lookup(load: (hash: string) => Promise<ApiKey | undefined>) {
    return async (hash: string): Promise<ApiKey | undefined> => {
      const known = this.#known.get(hash);
      if (known) return known;
      if (this.#unknown.get(hash)) return undefined;
      const key = await load(hash);
      if (key) this.#known.set(hash, key);
      else this.#unknown.set(hash, UNKNOWN);
      return key;
    };
  }

  /** Whether to record a key's last use now: at most once a minute per key per isolate. */
  shouldTouch(keyId: string, now: number, everyMs = 60_000): boolean {
    const last = this.#touched.get(keyId);
    if (last !== undefined && now - last < everyMs) return false;
    this.#touched.set(keyId, now);
    return true;
  }

  forget(hash: string): void {
    this.#known.delete(hash);
    this.#unknown.delete(hash);
  }

  clear(): void {
    this.#known.clear();
    this.#unknown.clear();
  }
}
