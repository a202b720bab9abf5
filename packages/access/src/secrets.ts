import { constantTimeEqual, sha256Hex } from '@wijkteams/db';

/** Compares a presented secret with the expected one via their hashes, so lengths do not leak either. */
export function secretsEqual(presented: string, expected: string): boolean {
  return constantTimeEqual(sha256Hex(presented), sha256Hex(expected));
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * `length` characters of base62 from `crypto.getRandomValues`, without modulo bias (bytes of 248
 * and above are redrawn): 43 characters carry 256 bits.
 */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}
