/**
 * The client-side postcode check. It mirrors the server (NFKC, whitespace removed, uppercase, the
 * Dutch format without the letter pairs SA, SD and SS) so that a resident hears about a typo at once;
 * the server's 400 stays the final word. Unlike the server, it wants the whole postcode.
 */
const POSTCODE = /^[1-9][0-9]{3}[A-Z]{2}$/;
const EXCLUDED_LETTERS = new Set(['SA', 'SD', 'SS']);

/** `9712CP` for any forgiving spelling of a valid postcode (`9712 cp`, full-width digits); else null. */
export function normalizePostcode(input: string): string | null {
  const postcode = input.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  if (!POSTCODE.test(postcode) || EXCLUDED_LETTERS.has(postcode.slice(4))) return null;
  return postcode;
}

/**
 * Four digits alone: the API takes them (a PC4 area), but a team can depend on the letters, so the
 * widget asks for the whole postcode.
 */
export const isDigitsOnly = (input: string): boolean =>
  /^[1-9][0-9]{3}$/.test(input.normalize('NFKC').replace(/\s+/g, ''));

/** `9712 CP`: how a postcode is shown to people. */
export const displayPostcode = (postcode: string) => `${postcode.slice(0, 4)} ${postcode.slice(4)}`;

/** An address's house number as in the BAG: the number, a letter (upper case) and an addition. */
export interface HouseNumber {
  number: number;
  letter?: string;
  addition?: string;
}

/** `houseNumber`, `houseLetter` and `houseNumberAddition` as the API takes them, in a query or a body. */
export function houseNumberFields(house: HouseNumber): Record<string, string | number> {
  return {
    houseNumber: house.number,
    ...(house.letter ? { houseLetter: house.letter } : {}),
    ...(house.addition ? { houseNumberAddition: house.addition } : {}),
  };
}

/** `12`, `12A`, `12-2`, `12A-2`: how a house number is shown to people. */
export const displayHouseNumber = ({ number, letter, addition }: HouseNumber) =>
  `${number}${letter ?? ''}${addition ? `-${addition}` : ''}`;

/** The BAG's own limits on the parts, for a form that asks for them one by one. */
export const HOUSE_LETTER = /^[A-Za-z]$/;
export const HOUSE_NUMBER_ADDITION = /^[A-Za-z0-9]{1,4}$/;

const norm = (input: string) => input.normalize('NFKC').trim();

/**
 * The BAG parts of what a resident types in one field: `12`, `12a` (letter A), `12-2`, `12 2` and
 * `12/2` (addition 2), `12a-2`, `12 bis` (addition bis). A single letter right after the number is
 * the house letter; longer letters are an addition. Empty is undefined; anything else `invalid`.
 */
export function parseHouseNumber(input: string): HouseNumber | undefined | 'invalid' {
  const trimmed = norm(input);
  if (trimmed === '') return undefined;
  const match =
    /^([1-9][0-9]{0,4})(?![0-9])(?:\s*([A-Za-z](?![A-Za-z])))?(?:\s*[-/ ]?\s*([A-Za-z0-9]{1,4}))?$/.exec(
      trimmed,
    );
  if (!match) return 'invalid';
  const [, number, letter, addition] = match;
  return {
    number: Number(number),
    ...(letter ? { letter: letter.toUpperCase() } : {}),
    ...(addition ? { addition } : {}),
  };
}

/** The parts from separate fields (the help form): each checked on its own; null where one is wrong. */
export function houseNumberOf(
  number: string,
  letter: string,
  addition: string,
): { house: HouseNumber | undefined; wrong: ('number' | 'letter' | 'addition')[] } {
  const wrong: ('number' | 'letter' | 'addition')[] = [];
  const [n, l, a] = [norm(number), norm(letter), norm(addition)];
  if (!/^[1-9][0-9]{0,4}$/.test(n)) wrong.push('number');
  if (l && !HOUSE_LETTER.test(l)) wrong.push('letter');
  if (a && !HOUSE_NUMBER_ADDITION.test(a)) wrong.push('addition');
  if (wrong.length) return { house: undefined, wrong };
  return {
    house: { number: Number(n), ...(l ? { letter: l.toUpperCase() } : {}), ...(a ? { addition: a } : {}) },
    wrong,
  };
}
