import { parseVoucherCode, voucherCodeFor } from '@wijkteams/ledger';
import { dutchDay } from '@wijkteams/time';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import {
  dutchDate,
  euros,
  hoursOf,
  PER_PAGE,
  printable,
  qrTextOf,
  SHEET_LAYOUT,
  voucherSheetPdf,
} from '../../src/print/voucher-sheet.ts';
import { qrCodesInGrid, type ReadPage, readPdf } from '../pdf-reader.ts';

const A4 = { width: 595.28, height: 841.89 };

/** `n` distinct, valid codes (their data is the index in Crockford base32, padded). */
function codes(n: number): string[] {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return Array.from({ length: n }, (_, i) => {
    let data = '';
    for (let v = i * 7919 + 12345; data.length < 12; v = Math.floor(v / 32)) data += alphabet[v % 32];
    return voucherCodeFor(data);
  });
}

/** The QR code in each block of the 2 × 5 grid, read from the page's drawn rectangles. */
const qrCodesOn = (page: ReadPage) => qrCodesInGrid(page, SHEET_LAYOUT);

describe('the printable voucher sheet', () => {
  it('draws a QR code in every block that decodes to that block’s code, ten to an A4 page', async () => {
    const batch = codes(23);
    const pdf = await voucherSheetPdf(
      {
        municipality: 'Gemeente Waalre',
        batchId: 'vbat_test',
        centsPerHour: 500,
        vouchers: batch.map((code) => ({
          code,
          faceValueCents: 500,
          validUntil: '2027-12-01T09:00:00.000Z',
        })),
      },
      dutchDay,
    );
    const { pages, title } = await readPdf(pdf);
    expect(title).toBe('Dienstencheques vbat_test');
    expect(pages).toHaveLength(Math.ceil(23 / PER_PAGE));
    for (const page of pages) {
      expect(page.width).toBeCloseTo(A4.width, 1);
      expect(page.height).toBeCloseTo(A4.height, 1);
    }
    const decoded = pages.flatMap(qrCodesOn);
    expect(decoded.map((text) => parseVoucherCode(text))).toEqual(batch.map((code) => ({ ok: true, code })));
    expect(decoded).toEqual(batch.map(qrTextOf));
    const texts = pages.flatMap((p) => p.texts);
    for (const code of batch) expect(texts).toContain(code);
    expect(texts.filter((t) => t === '€ 5,00')).toHaveLength(23);
    expect(texts.filter((t) => t === 'Goed voor 1 uur hulp')).toHaveLength(23);
    expect(texts.filter((t) => t === 'Geldig tot 1 december 2027')).toHaveLength(23);
    expect(texts.filter((t) => t === 'Gemeente Waalre')).toHaveLength(23);
    expect(texts).toContain('Gemeente Waalre · reeks vbat_test · blad 3 van 3');
  });

  it('prints a municipality’s name the standard fonts cannot show in full, rather than failing', async () => {
    const [code] = codes(1) as [string];
    const pdf = await voucherSheetPdf(
      {
        municipality: 'Gemeente Súdwest-Fryslân Ŀ ✓',
        batchId: 'vbat_names',
        centsPerHour: 500,
        vouchers: [{ code, faceValueCents: 750, validUntil: '2027-03-31T22:30:00.000Z' }],
      },
      dutchDay,
    );
    const { pages } = await readPdf(pdf);
    // Ŀ decomposes to L and a middle dot, which WinAnsi has; ✓ has no such letter.
    expect(pages[0]?.texts).toContain('Gemeente Súdwest-Fryslân L· ?');
    expect(pages[0]?.texts).toContain('€ 7,50');
    expect(pages[0]?.texts).toContain('Goed voor 1,5 uur hulp');
    // 22:30 UTC on 31 March is 00:30 on 1 April in the Netherlands.
    expect(pages[0]?.texts).toContain('Geldig tot 1 april 2027');
    expect(qrCodesOn(pages[0] as ReadPage)).toEqual([qrTextOf(code)]);
  });

  it('fits every code in the smallest QR code, whatever its check symbol, and decodes it back', async () => {
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    const byCheck = new Map<string, string>();
    for (let i = 0; byCheck.size < 37; i++) {
      const data = [...i.toString(32).toUpperCase().padStart(12, '0')]
        .map((d) => alphabet[Number.parseInt(d, 32)])
        .join('');
      const code = voucherCodeFor(data);
      byCheck.set(code.slice(-1), code);
    }
    const all = [...byCheck.values()];
    expect([...byCheck.keys()]).toEqual(expect.arrayContaining(['*', '~', '$', '=', 'U']));
    for (const code of all)
      expect([code, QRCode.create(qrTextOf(code), { errorCorrectionLevel: 'M' }).version]).toEqual([code, 1]);
    const pdf = await voucherSheetPdf(
      {
        municipality: 'Gemeente Waalre',
        batchId: 'vb_checks',
        centsPerHour: 500,
        vouchers: all.map((code) => ({ code, faceValueCents: 500, validUntil: '2027-12-01T09:00:00.000Z' })),
      },
      dutchDay,
    );
    const decoded = (await readPdf(pdf)).pages.flatMap(qrCodesOn);
    expect(decoded.map((text) => parseVoucherCode(text))).toEqual(all.map((code) => ({ ok: true, code })));
  });

  it('says so on a page of its own when no voucher of the batch can be used any more', async () => {
    const { pages } = await readPdf(
      await voucherSheetPdf(
        { municipality: 'Gemeente Waalre', batchId: 'b', centsPerHour: 500, vouchers: [] },
        dutchDay,
      ),
    );
    expect(pages).toHaveLength(1);
    expect(pages[0]?.texts).toContain('Deze reeks heeft geen cheques meer die nog gebruikt kunnen worden.');
    expect(qrCodesOn(pages[0] as ReadPage)).toEqual([]);
  });

  it('writes amounts, hours and dates as Dutch print does', async () => {
    expect([euros(500), euros(5), euros(125_050), euros(100_000_000)]).toEqual([
      '€ 5,00',
      '€ 0,05',
      '€ 1.250,50',
      '€ 1.000.000,00',
    ]);
    expect([hoursOf(500, 500), hoursOf(1000, 500), hoursOf(625, 500), hoursOf(333, 500)]).toEqual([
      '1 uur',
      '2 uur',
      '1,25 uur',
      null,
    ]);
    expect([dutchDate('2027-01-09'), dutchDate('2026-12-31')]).toEqual([
      '9 januari 2027',
      '31 december 2026',
    ]);
    const font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
    expect(printable(font, '’s-Hertogenbosch € Æ')).toBe('’s-Hertogenbosch € Æ');
  });
});
