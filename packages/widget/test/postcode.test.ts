import { parsePostcode } from '@wijkteams/lookup';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  displayHouseNumber,
  displayPostcode,
  type HouseNumber,
  houseNumberFields,
  houseNumberOf,
  isDigitsOnly,
  normalizePostcode,
  parseHouseNumber,
} from '../src/postcode.ts';

describe('the widget’s postcode check', () => {
  it('accepts what residents type and gives the canonical form', () => {
    for (const typed of ['9712cp', '9712 CP', ' 9712\u00a0cp ', '９７１２ＣＰ', '9712  c p'])
      expect(normalizePostcode(typed)).toBe('9712CP');
    expect(displayPostcode('9712CP')).toBe('9712 CP');
  });

  it('rejects what the server rejects', () => {
    for (const typed of ['0123AB', '1234SA', '1234SD', '1234SS', '123AB', '9712CPX', ''])
      expect(normalizePostcode(typed)).toBeNull();
  });

  it('asks for the letters when only the four digits are typed (the server would answer for the PC4 area)', () => {
    expect(normalizePostcode('9712')).toBeNull();
    for (const typed of ['9712', ' 97 12 ', '９７１２']) expect(isDigitsOnly(typed)).toBe(true);
    for (const typed of ['0971', '971', '9712C', '9712CP']) expect(isDigitsOnly(typed)).toBe(false);
  });

  it('agrees with the server on every full postcode', () => {
    const chars = fc.constantFrom(...'0123456789ABCSDPZacsdz ０９ＡＳ\u00a0\t-'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 10 }), (parts) => {
        const typed = parts.join('');
        const server = parsePostcode(typed);
        const expected = server.ok && server.postcode.letters ? server.postcode.canonical : null;
        expect(normalizePostcode(typed)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the house number', () => {
  it('keeps the BAG parts: number, letter (upper case) and addition', () => {
    expect(parseHouseNumber('')).toBeUndefined();
    const cases: [string, HouseNumber][] = [
      [' 12 ', { number: 12 }],
      ['１２', { number: 12 }],
      ['12a', { number: 12, letter: 'A' }],
      ['12 A', { number: 12, letter: 'A' }],
      ['12-2', { number: 12, addition: '2' }],
      ['12/2', { number: 12, addition: '2' }],
      ['12 2', { number: 12, addition: '2' }],
      ['12a-2', { number: 12, letter: 'A', addition: '2' }],
      ['12 bis', { number: 12, addition: 'bis' }],
      ['12-hs', { number: 12, addition: 'hs' }],
    ];
    for (const [typed, house] of cases) expect(parseHouseNumber(typed), typed).toEqual(house);
    expect(displayHouseNumber({ number: 12, letter: 'A', addition: '2' })).toBe('12A-2');
    expect(houseNumberFields({ number: 12, letter: 'A' })).toEqual({ houseNumber: 12, houseLetter: 'A' });
  });

  it('refuses what is not a house number', () => {
    for (const typed of ['0', 'abc', '123456', '12--2', '-12', '1.5', '12 abcde'])
      expect(parseHouseNumber(typed), typed).toBe('invalid');
  });

  it('checks the parts of the help form one by one', () => {
    expect(houseNumberOf('12', 'a', '2')).toEqual({
      house: { number: 12, letter: 'A', addition: '2' },
      wrong: [],
    });
    expect(houseNumberOf('12', '', '')).toEqual({ house: { number: 12 }, wrong: [] });
    expect(houseNumberOf('', 'ab', 'abcde')).toEqual({
      house: undefined,
      wrong: ['number', 'letter', 'addition'],
    });
  });
});
