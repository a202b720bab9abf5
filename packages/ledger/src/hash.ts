import { sha256Hex } from '@wijkteams/db';

/** JSON with object keys in sorted order, so the same request always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The request hash an edge can store with an idempotency key: SHA-256 of the canonical JSON. */
export function requestHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
