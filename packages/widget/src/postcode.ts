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

/**
 * The house number as the API takes it (an integer), from what a resident types: `12`, `12a`,
 * `12-2`, `12 bis`. An addition does not change the team, so it is dropped. Empty is undefined;
 * anything else is `invalid`.
 */
export function parseHouseNumber(input: string): number | undefined | 'invalid' {
  const trimmed = input.normalize('NFKC').trim();
  if (trimmed === '') return undefined;
  const match = /^([1-9][0-9]{0,4})(?:\s*[-/]\s*[A-Za-z0-9]{1,4}|\s*[A-Za-z]{1,4}[0-9]{0,2})?$/.exec(trimmed);
  return match?.[1] ? Number(match[1]) : 'invalid';
}
