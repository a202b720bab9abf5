import { describe, expect, it } from 'vitest';
import { generateVoucherCode, parseVoucherCode } from '../src/index.ts';

const DATA = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK = `${DATA}*~$=U`;
const compact = (code: string) => code.replaceAll('-', '');

describe('voucher codes', () => {
  it('are 4-4-4 groups of Crockford base32 and a check symbol, and parse back to themselves', () => {
    for (let i = 0; i < 200; i++) {
      const code = generateVoucherCode();
      expect(code).toMatch(
        /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-Z*~$=]$/,
      );
      expect(parseVoucherCode(code)).toEqual({ ok: true, code });
    }
  });

  it('forgive case, spaces, any dash, full-width input and I/L/O typed for 1/1/0', () => {
    const code = generateVoucherCode();
    const loose = compact(code).toLowerCase().replaceAll('1', 'l').replaceAll('0', 'o');
    const spaced = `${loose.slice(0, 3)} ${loose.slice(3, 9)}\u2013${loose.slice(9)}`;
    expect(parseVoucherCode(`  ${spaced} `)).toEqual({ ok: true, code });
    const fullWidth = [...compact(code)].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
    expect(parseVoucherCode(fullWidth)).toEqual({ ok: true, code });
  });

  it('reject a wrong length or a symbol outside the alphabet before checking', () => {
    const code = compact(generateVoucherCode());
    expect(parseVoucherCode(code.slice(1))).toEqual({ ok: false, reason: 'length' });
    expect(parseVoucherCode(`${code}0`)).toEqual({ ok: false, reason: 'length' });
    expect(parseVoucherCode(`U${code.slice(1)}`)).toEqual({ ok: false, reason: 'character' });
    expect(parseVoucherCode(`${code.slice(0, 5)}#${code.slice(6)}`)).toEqual({
      ok: false,
      reason: 'character',
    });
  });

  it('catch every single-symbol substitution and every adjacent transposition in a sample', () => {
    let substitutions = 0;
    let transpositions = 0;
    for (let n = 0; n < 100; n++) {
      const code = compact(generateVoucherCode());
      for (let i = 0; i < code.length; i++) {
        const alphabet = i < code.length - 1 ? DATA : CHECK;
        for (const c of alphabet) {
          if (c === code[i]) continue;
          const typo = code.slice(0, i) + c + code.slice(i + 1);
          expect(parseVoucherCode(typo).ok, `${code} → ${typo}`).toBe(false);
          substitutions++;
        }
      }
      for (let i = 0; i + 1 < code.length; i++) {
        if (code[i] === code[i + 1]) continue;
        const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
        expect(parseVoucherCode(swapped).ok, `${code} → ${swapped}`).toBe(false);
        transpositions++;
      }
    }
    expect(substitutions).toBeGreaterThan(30_000);
    expect(transpositions).toBeGreaterThan(1_000);
  });
});
