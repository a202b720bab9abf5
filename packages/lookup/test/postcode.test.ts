import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePostcode } from '../src/postcode.ts';

const canonical = (input: string) => {
  const parsed = parsePostcode(input);
  return parsed.ok ? parsed.postcode.canonical : null;
};

describe('parsePostcode', () => {
  it.each([
    ['9712cp', '9712CP', '9712 CP'],
    ['9712 CP', '9712CP', '9712 CP'],
    [' 9712\u00a0cp ', '9712CP', '9712 CP'],
    ['\uff19\uff17\uff11\uff12\uff23\uff30', '9712CP', '9712 CP'],
    ['9712\tc p', '9712CP', '9712 CP'],
    ['1011', '1011', '1011'],
  ])('reads %j as %s', (input, expected, display) => {
    const parsed = parsePostcode(input);
    expect(parsed).toMatchObject({ ok: true, postcode: { canonical: expected, display } });
  });

  it.each([
    '0123AB',
    '1234SA',
    '1234SD',
    '1234SS',
    '123AB',
    '12345AB',
    '1234A',
    '1234ABC',
    '',
    'ABCD12',
    '1234-AB',
    '1'.repeat(40),
  ])('refuses %j with a reason', (input) => {
    const parsed = parsePostcode(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason.length).toBeGreaterThan(5);
  });
});

const digit = fc.constantFrom(...'0123456789');
const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
const validPostcode = fc
  .tuple(fc.constantFrom(...'123456789'), digit, digit, digit, letter, letter)
  .map((chars) => chars.join(''))
  .filter((pc) => !['SA', 'SD', 'SS'].includes(pc.slice(4)));
const toFullWidth = (s: string) =>
  s.replace(/[0-9A-Za-z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));

describe('postcode normalisation, for any input (fast-check)', () => {
  it('reads every way of writing a valid postcode as its canonical form', () => {
    fc.assert(
      fc.property(
        validPostcode,
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('', ' ', '\u00a0', '  ', '\t'),
        (pc, lower, fullWidth, gap) => {
          let written = `${pc.slice(0, 4)}${gap}${pc.slice(4)}`;
          if (lower) written = written.toLowerCase();
          if (fullWidth) written = toFullWidth(written);
          expect(canonical(` ${written} `)).toBe(pc);
        },
      ),
    );
  });

  it('is idempotent: a canonical form reads as itself', () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        const once = canonical(input);
        if (once !== null) expect(canonical(once)).toBe(once);
      }),
    );
  });

  it('never throws, and never accepts a leading zero or the letters SA, SD, SS', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (input) => {
        const out = canonical(input);
        if (out !== null) {
          expect(out).toMatch(/^[1-9]\d{3}([A-Z]{2})?$/);
          expect(['SA', 'SD', 'SS']).not.toContain(out.slice(4));
        }
      }),
    );
  });

  it('refuses every postcode with the letters SA, SD or SS, however written', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 9999 }),
        fc.constantFrom('SA', 'sd', 'Ss', 'ＳＳ'),
        (pc4, letters) => {
          expect(canonical(`${pc4} ${letters}`)).toBeNull();
        },
      ),
    );
  });
});
