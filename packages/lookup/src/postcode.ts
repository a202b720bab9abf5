/**
 * Dutch postcodes: four digits, the first not 0, then two letters, never SA, SD or SS. Input is
 * forgiving (`9712cp`, `9712 CP`, full-width digits, a no-break space); the canonical form is
 * `9712CP` and the display form `9712 CP`. Four digits alone name a PC4 area.
 */
export interface Postcode {
  pc4: string;
  /** The two letters of a PC6, or null for a PC4 on its own. */
  letters: string | null;
  /** `9712CP`, or `9712` for a PC4. */
  canonical: string;
  /** `9712 CP`, or `9712`. */
  display: string;
}

export type PostcodeParse = { ok: true; postcode: Postcode } | { ok: false; reason: string };

const SHAPE = /^([1-9][0-9]{3})([A-Z]{2})?$/;
const FORBIDDEN_LETTERS = new Set(['SA', 'SD', 'SS']);
const MAX_INPUT = 32;

export function parsePostcode(input: string): PostcodeParse {
  if (input.length > MAX_INPUT) return { ok: false, reason: 'Too long for a postcode' };
  // NFKC folds full-width digits and letters and turns a no-break space into a space.
  const compact = input.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  const match = SHAPE.exec(compact);
  if (!match) {
    return {
      ok: false,
      reason: 'A postcode is four digits (not starting with 0) and two letters, like 1234 AB',
    };
  }
  const [, pc4 = '', letters] = match;
  if (letters && FORBIDDEN_LETTERS.has(letters)) {
    return { ok: false, reason: `${letters} is never used as postcode letters` };
  }
  return {
    ok: true,
    postcode: {
      pc4,
      letters: letters ?? null,
      canonical: `${pc4}${letters ?? ''}`,
      display: letters ? `${pc4} ${letters}` : pc4,
    },
  };
}
