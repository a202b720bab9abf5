/**
 * Printable voucher codes: 12 symbols of Crockford base32 (60 random bits) in groups of four, and a
 * mod-37 check symbol: `7KQM-3XPD-9RTA-F`. 37 is prime and larger than the alphabet, so any single
 * mistyped symbol and any swap of two neighbours changes the check, and is caught before a lookup.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Crockford's check symbols: the alphabet, then `*~$=U` for 32 to 36. */
const CHECK_SYMBOLS = `${ALPHABET}*~$=U`;
const DATA_LENGTH = 12;
/** Crockford reads the letters people confuse with digits as those digits. */
const CONFUSABLE: Record<string, string> = { I: '1', L: '1', O: '0' };
/** Separators people type or that layout inserts: spaces and every kind of dash. */
const SEPARATORS = /[\s\-\u2010-\u2015\u2212]/g;

export type CodeProblem = 'length' | 'character' | 'check';
export type ParsedVoucherCode = { ok: true; code: string } | { ok: false; reason: CodeProblem };

/** Reads a code as people type it: any case, spaces or dashes anywhere, I/L for 1 and O for 0. */
export function parseVoucherCode(input: string): ParsedVoucherCode {
  const compact = input.normalize('NFKC').toUpperCase().replace(SEPARATORS, '');
  if (compact.length !== DATA_LENGTH + 1) return { ok: false, reason: 'length' };
  const symbols = [...compact].map((c) => CONFUSABLE[c] ?? c);
  const data = symbols.slice(0, DATA_LENGTH).join('');
  const check = symbols[DATA_LENGTH] ?? '';
  if ([...data].some((c) => !ALPHABET.includes(c)) || !CHECK_SYMBOLS.includes(check)) {
    return { ok: false, reason: 'character' };
  }
  if (checkSymbol(data) !== check) return { ok: false, reason: 'check' };
  return { ok: true, code: format(data, check) };
}

/** A new random code in its canonical form. */
export function generateVoucherCode(): string {
  const data = Array.from(crypto.getRandomValues(new Uint8Array(DATA_LENGTH)), (b) => ALPHABET[b & 31]).join(
    '',
  );
  return format(data, checkSymbol(data));
}

/** The code for 12 symbols of data, with its check symbol: how examples in the documentation are made. */
export function voucherCodeFor(data: string): string {
  const symbols = data.toUpperCase();
  if (symbols.length !== DATA_LENGTH || [...symbols].some((c) => !ALPHABET.includes(c))) {
    throw new Error(`A voucher code has ${DATA_LENGTH} symbols of ${ALPHABET}`);
  }
  return format(symbols, checkSymbol(symbols));
}

function checkSymbol(data: string): string {
  let remainder = 0;
  for (const c of data) remainder = (remainder * 32 + ALPHABET.indexOf(c)) % 37;
  return CHECK_SYMBOLS[remainder] as string;
}

function format(data: string, check: string): string {
  return `${data.slice(0, 4)}-${data.slice(4, 8)}-${data.slice(8, 12)}-${check}`;
}
