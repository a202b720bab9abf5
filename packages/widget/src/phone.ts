/**
 * The `tel:` address of a phone number as a team writes it: `050 367 91 00`, `+31 (0)50 367 91 00`,
 * `14 050`, `0800-1234`. The trunk zero in brackets after a country code is not dialled; a note after
 * the number (`(keuze 2)`, `toets 1`) is not part of it. Null when no number can be read.
 */
export function telephoneUri(phone: string): string | null {
  const number = /^\s*\+?[\d\s().-]*\d/.exec(phone.normalize('NFKC'))?.[0] ?? '';
  const dialled = number.replace(/\(0\)/g, '').replace(/[^\d+]/g, '');
  return /^\+?\d{3,}$/.test(dialled) ? `tel:${dialled}` : null;
}
