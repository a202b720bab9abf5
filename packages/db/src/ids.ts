import { ulid } from 'ulid';

/** Prefixed, time-sortable identifiers (`team_01J…`) so that an ID says what it names. */
export const ID_PREFIXES = [
  'ten',
  'team',
  'rule',
  'key',
  'req',
  'acc',
  'tr',
  'vch',
  'aud',
  'whs',
  'msg',
  'ntf',
  'ofr',
  'prv',
  'vb',
  'pay',
] as const;
export type IdPrefix = (typeof ID_PREFIXES)[number];

const pool = new Uint8Array(256);
let next = pool.length;

/**
 * `crypto.getRandomValues`, drawn 256 bytes at a time: ulid's own source asks for one byte per
 * character, 16 calls per id, which cost more than the rest of a redemption's ids. A byte / 256 is
 * uniform over ulid's 32 symbols (256 is a multiple of 32).
 */
function randomFraction(): number {
  if (next === pool.length) {
    crypto.getRandomValues(pool);
    next = 0;
  }
  return (pool[next++] as number) / 256;
}

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${ulid(undefined, randomFraction).toLowerCase()}`;
}
