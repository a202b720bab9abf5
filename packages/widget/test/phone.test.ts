import { describe, expect, it } from 'vitest';
import { telephoneUri } from '../src/phone.ts';

describe('the tel: address of a phone number', () => {
  it('dials the digits of a number written the Dutch way', () => {
    expect(telephoneUri('050 367 91 00')).toBe('tel:0503679100');
    expect(telephoneUri('0800-1234')).toBe('tel:08001234');
    expect(telephoneUri('14 050')).toBe('tel:14050');
    expect(telephoneUri('(050) 367 91 00')).toBe('tel:0503679100');
  });

  it('leaves out the trunk zero in brackets after a country code', () => {
    expect(telephoneUri('+31 (0)50 367 91 00')).toBe('tel:+31503679100');
    expect(telephoneUri('+31 50 367 91 00')).toBe('tel:+31503679100');
  });

  it('stops at a note after the number', () => {
    expect(telephoneUri('050-3679100 (keuze 2)')).toBe('tel:0503679100');
    expect(telephoneUri('050 367 91 00 (2)')).toBe('tel:0503679100');
    expect(telephoneUri('0800-1234 (24/7)')).toBe('tel:08001234');
    expect(telephoneUri('050 367 91 00, toets 1')).toBe('tel:0503679100');
    expect(telephoneUri('０５０ ３６７ ９１ ００')).toBe('tel:0503679100');
  });

  it('gives no address where there is no number', () => {
    expect(telephoneUri('bel de gemeente')).toBeNull();
    expect(telephoneUri('12')).toBeNull();
  });
});
