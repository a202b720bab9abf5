/**
 * Printable dienstencheques: an A4 PDF of a batch's vouchers, ten cheque-sized blocks a page (2 × 5,
 * 95 × 55 mm) between dashed cut lines. Each block has the municipality, the value (`€ 5,00`, `1 uur`),
 * the Dutch date it is valid until, the code as printed and a QR code of that code.
 *
 * A pure function of its input (no clock, no I/O), built with pdf-lib's standard fonts and
 * qrcode's module matrix drawn as rectangles, so it runs the same in a Worker and in Node. The
 * Worker loads it only when a PDF is asked for (see `print.ts`): pdf-lib is larger than the rest
 * of the API together.
 */

import {
  fill,
  PageSizes,
  PDFDocument,
  type PDFFont,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  rgb,
  StandardFonts,
  setFillingRgbColor,
} from 'pdf-lib';
import QRCode from 'qrcode';

export interface PrintableVoucher {
  /** The canonical code, `K7QF-3M9X-T2HD-7`. */
  code: string;
  faceValueCents: number;
  /** ISO 8601 instant. */
  validUntil: string;
}

export interface VoucherSheet {
  /** The municipality as residents know it: `Gemeente Waalre`. */
  municipality: string;
  batchId: string;
  vouchers: PrintableVoucher[];
  /** What an hour of help is worth (the ledger's default face value), for "1 uur". */
  centsPerHour: number;
}

/** Points: 72 to the inch. */
const MM = 72 / 25.4;
const [PAGE_WIDTH, PAGE_HEIGHT] = PageSizes.A4 as [number, number];
export const SHEET_LAYOUT = {
  columns: 2,
  rows: 5,
  /** Around the grid of blocks: most office printers cannot print closer to the edge. */
  margin: 10 * MM,
  /** One QR module; a version 1 code (21 modules) and its quiet zone are then about 30 mm wide. */
  module: 1.25 * MM,
  /** The quiet zone QR readers need around the code, in modules. */
  quietModules: 4,
} as const;
export const PER_PAGE = SHEET_LAYOUT.columns * SHEET_LAYOUT.rows;

const BLOCK_WIDTH = (PAGE_WIDTH - 2 * SHEET_LAYOUT.margin) / SHEET_LAYOUT.columns;
const BLOCK_HEIGHT = (PAGE_HEIGHT - 2 * SHEET_LAYOUT.margin) / SHEET_LAYOUT.rows;
const PADDING = 5 * MM;
const INK = rgb(0.1, 0.1, 0.1);
const MUTED = rgb(0.35, 0.35, 0.35);
const CUT = rgb(0.6, 0.6, 0.6);

/**
 * What the QR code holds: the code as printed (`K7QF-3M9X-T2HD-7`), so a phone's scanner shows
 * what the paper says. It always fits the smallest QR code (version 1, 21 × 21) at error
 * correction M, also with a check symbol outside QR's alphanumeric set (`~`, `=`: qrcode puts that
 * one symbol in a byte segment); without the dashes it would be no smaller. Redemption takes it as
 * it is (`parseVoucherCode` reads any case, dashes and spaces).
 */
export function qrTextOf(code: string): string {
  return code;
}

const MONTHS = [
  'januari',
  'februari',
  'maart',
  'april',
  'mei',
  'juni',
  'juli',
  'augustus',
  'september',
  'oktober',
  'november',
  'december',
];

/** `1 december 2027` for the Dutch calendar day `2027-12-01`. */
export function dutchDate(day: string): string {
  const [year, month, dayOfMonth] = day.split('-').map(Number) as [number, number, number];
  return `${dayOfMonth} ${MONTHS[month - 1]} ${year}`;
}

/** `€ 5,00`, `€ 1.250,50`: euros as Dutch print writes them. */
export function euros(cents: number): string {
  const whole = Math.floor(cents / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `€ ${whole},${String(cents % 100).padStart(2, '0')}`;
}

/** `1 uur`, `2 uur`, `1,5 uur`; null where the value is not a whole number of quarter hours. */
export function hoursOf(cents: number, centsPerHour: number): string | null {
  const quarters = (cents * 4) / centsPerHour;
  if (!Number.isInteger(quarters) || quarters <= 0) return null;
  return `${String(quarters / 4).replace('.', ',')} uur`;
}

/**
 * The text as the font can show it. The standard fonts speak WinAnsi (Latin-1 and a few more, `€`
 * included): a letter outside it loses its accent where that leaves a letter it has (`Ŀ` → `L`),
 * anything else becomes `?`, so no municipality's name can make the PDF fail.
 */
export function printable(font: PDFFont, text: string): string {
  const known = new Set(font.getCharacterSet());
  return [...text.normalize('NFC')]
    .map((char) => {
      if (known.has(char.codePointAt(0) ?? 0)) return char;
      const base = char.normalize('NFKD').replace(/\p{M}/gu, '');
      return [...base].every((c) => known.has(c.codePointAt(0) ?? 0)) && base !== '' ? base : '?';
    })
    .join('');
}

/** The day in the Netherlands at an instant: `validUntil` is printed as the Dutch date it falls on. */
type DayOf = (at: Date) => string;

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  code: PDFFont;
}

/** The PDF of a batch's vouchers; `dayOf` gives the Dutch calendar day of an instant. */
export async function voucherSheetPdf(sheet: VoucherSheet, dayOf: DayOf): Promise<Uint8Array<ArrayBuffer>> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(`Dienstencheques ${sheet.batchId}`);
  doc.setAuthor(sheet.municipality);
  doc.setSubject('Dienstencheques om af te drukken en te knippen');
  doc.setLanguage('nl-NL');
  doc.setProducer('Wijkteams API');
  const fonts: Fonts = {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
    code: await doc.embedFont(StandardFonts.CourierBold),
  };
  const municipality = printable(fonts.bold, sheet.municipality);
  const pages = Math.max(1, Math.ceil(sheet.vouchers.length / PER_PAGE));
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    const onPage = sheet.vouchers.slice(p * PER_PAGE, (p + 1) * PER_PAGE);
    drawCutLines(page);
    onPage.forEach((voucher, i) => {
      const column = i % SHEET_LAYOUT.columns;
      const row = Math.floor(i / SHEET_LAYOUT.columns);
      const x = SHEET_LAYOUT.margin + column * BLOCK_WIDTH;
      const y = PAGE_HEIGHT - SHEET_LAYOUT.margin - (row + 1) * BLOCK_HEIGHT;
      drawVoucher(page, fonts, { x, y }, { municipality, voucher, centsPerHour: sheet.centsPerHour, dayOf });
    });
    if (onPage.length === 0) {
      page.drawText('Deze reeks heeft geen cheques meer die nog gebruikt kunnen worden.', {
        x: SHEET_LAYOUT.margin + PADDING,
        y: PAGE_HEIGHT - SHEET_LAYOUT.margin - 20,
        size: 11,
        font: fonts.regular,
        color: INK,
      });
    }
    const footer = `${municipality} · reeks ${sheet.batchId} · blad ${p + 1} van ${pages}`;
    page.drawText(printable(fonts.regular, footer), {
      x: SHEET_LAYOUT.margin,
      y: SHEET_LAYOUT.margin / 2 - 3,
      size: 7,
      font: fonts.regular,
      color: MUTED,
    });
  }
  // A copy over a plain ArrayBuffer, as a Response body takes it.
  return new Uint8Array(await doc.save());
}

/** Dashed lines around and between the blocks, to cut along. */
function drawCutLines(page: PDFPage) {
  const { margin, columns, rows } = SHEET_LAYOUT;
  const line = { thickness: 0.5, color: CUT, dashArray: [4, 3] };
  for (let c = 0; c <= columns; c++) {
    const x = margin + c * BLOCK_WIDTH;
    page.drawLine({ start: { x, y: margin }, end: { x, y: PAGE_HEIGHT - margin }, ...line });
  }
  for (let r = 0; r <= rows; r++) {
    const y = margin + r * BLOCK_HEIGHT;
    page.drawLine({ start: { x: margin, y }, end: { x: PAGE_WIDTH - margin, y }, ...line });
  }
}

function drawVoucher(
  page: PDFPage,
  fonts: Fonts,
  at: { x: number; y: number },
  what: { municipality: string; voucher: PrintableVoucher; centsPerHour: number; dayOf: DayOf },
) {
  const { voucher } = what;
  const { module: m, quietModules } = SHEET_LAYOUT;
  const qr = QRCode.create(qrTextOf(voucher.code), { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  // The quiet zone reaches to the cut line: the paper there is white once cut.
  const qrX = at.x + BLOCK_WIDTH - (quietModules + size) * m;
  const qrTop = at.y + BLOCK_HEIGHT - quietModules * m;
  drawQrModules(page, qr.modules, { x: qrX, top: qrTop });

  const left = at.x + PADDING;
  const top = at.y + BLOCK_HEIGHT - PADDING;
  /** Text left of the QR code and its quiet zone; a long name is set smaller so it fits. */
  const room = qrX - quietModules * m - left;
  const text = (value: string, y: number, wanted: number, font: PDFFont, color = INK) => {
    const width = font.widthOfTextAtSize(value, wanted);
    const size = width > room ? (wanted * room) / width : wanted;
    page.drawText(value, { x: left, y, size, font, color });
  };
  text(what.municipality, top - 11, 11, fonts.bold);
  text('Dienstencheque', top - 24, 9, fonts.regular, MUTED);
  text(euros(voucher.faceValueCents), top - 56, 26, fonts.bold);
  const hours = hoursOf(voucher.faceValueCents, what.centsPerHour);
  if (hours) text(`Goed voor ${hours} hulp`, top - 72, 11, fonts.regular);
  text(`Geldig tot ${dutchDate(what.dayOf(new Date(voucher.validUntil)))}`, top - 90, 9, fonts.regular);
  text('Code', at.y + PADDING + 22, 7, fonts.regular, MUTED);
  text(voucher.code, at.y + PADDING + 6, 14, fonts.code);

  const caption = 'Scan of typ de code';
  const captionSize = 7;
  const captionWidth = fonts.regular.widthOfTextAtSize(caption, captionSize);
  page.drawText(caption, {
    x: qrX + (size * m - captionWidth) / 2,
    y: qrTop - (size + quietModules) * m - captionSize,
    size: captionSize,
    font: fonts.regular,
    color: MUTED,
  });
}

/**
 * The dark modules as filled rectangles, one per horizontal run, in one path: black on white,
 * so any reader (and any printer) sees the code, and no raster image is needed.
 */
function drawQrModules(
  page: PDFPage,
  modules: { size: number; get(row: number, column: number): number | boolean },
  at: { x: number; top: number },
) {
  const m = SHEET_LAYOUT.module;
  const operators = [pushGraphicsState(), setFillingRgbColor(0, 0, 0)];
  for (let row = 0; row < modules.size; row++) {
    let run = -1;
    for (let column = 0; column <= modules.size; column++) {
      const dark = column < modules.size && Boolean(modules.get(row, column));
      if (dark && run < 0) run = column;
      if (!dark && run >= 0) {
        operators.push(rectangle(at.x + run * m, at.top - (row + 1) * m, (column - run) * m, m));
        run = -1;
      }
    }
  }
  operators.push(fill(), popGraphicsState());
  page.pushOperators(...operators);
}
