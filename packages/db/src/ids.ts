import { ulid } from 'ulid';

/** Prefixed, time-sortable identifiers (`team_01J…`) so that an ID says what it names. */
export const ID_PREFIXES = ['ten', 'team', 'rule', 'key', 'req', 'acc', 'tr', 'vch', 'aud'] as const;
export type IdPrefix = (typeof ID_PREFIXES)[number];

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${ulid().toLowerCase()}`;
}
