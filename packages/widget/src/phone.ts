/**
 * The `tel:` address of a phone number as a team writes it: `050 367 91 00`, `+31 (0)50 367 91 00`,
 * `(050) 367 91 00`, `14 050`, `0800-1234`. Brackets before the first digit are an area code; the
 * trunk zero `(0)` after a country code is not dialled; anything else (`(2)`, `(keuze 2)`, `, toets 1`)
 * is a note after the number and ends it. Null when no number can be read.
 */
export function telephoneUri(phone: string): string | null {
  const text = phone.normalize('NFKC').trim();
  let dialled = text.startsWith('+') ? '+' : '';
  for (const token of text.slice(dialled.length).match(/\(\d{1,4}\)|./g) ?? []) {
    if (/^\d$/.test(token)) dialled += token;
    else if (token === ' ' || token === '-' || token === '.') continue;
    else if (token === '(0)' && /^\+\d+$/.test(dialled)) continue;
    else if (token.startsWith('(') && !/\d/.test(dialled)) dialled += token.slice(1, -1);
    else break;
  }
  return /^\+?\d{3,}$/.test(dialled) ? `tel:${dialled}` : null;
}
