/**
 * Reads a PDF back as a printer would see it, for the tests of the printable vouchers, in Node and
 * in workerd alike: pdf-lib parses the file and inflates each page's content stream, the operators
 * are interpreted here (graphics state, transforms, filled rectangles, text shown), filled areas are
 * rasterised into a white bitmap, and jsQR looks for a QR code in any part of that bitmap. Nothing
 * of the renderer is reused: what is decoded is what the file draws.
 */
import jsQR from 'jsqr';
import { decodePDFRawStream, PDFArray, PDFDocument, PDFRawStream, PDFRef } from 'pdf-lib';
import { expect } from 'vitest';

export interface ReadPage {
  width: number;
  height: number;
  /** Every string shown (Tj/TJ), decoded from WinAnsi, in content order. */
  texts: string[];
  /** Filled rectangles in page space (points, origin bottom left). */
  rects: { x: number; y: number; width: number; height: number }[];
}

export async function readPdf(bytes: Uint8Array): Promise<{ pages: ReadPage[]; title?: string }> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const pages = doc.getPages().map((page) => {
    const { width, height } = page.getMediaBox();
    const source = contentBytes(page.node.Contents(), doc);
    return { width, height, ...interpret(source) };
  });
  const title = doc.getTitle();
  return title === undefined ? { pages } : { pages, title };
}

function contentBytes(contents: unknown, doc: PDFDocument): string {
  const streams: PDFRawStream[] = [];
  const collect = (object: unknown) => {
    const resolved = object instanceof PDFRef ? doc.context.lookup(object) : object;
    if (resolved instanceof PDFArray) for (const item of resolved.asArray()) collect(item);
    else if (resolved instanceof PDFRawStream) streams.push(resolved);
  };
  collect(contents);
  return streams
    .map((stream) => {
      const decoded = decodePDFRawStream(stream).decode();
      return Array.from(decoded, (b) => String.fromCharCode(b)).join('');
    })
    .join('\n');
}

/** The WinAnsi bytes 0x80–0x9f that differ from Latin-1 (the ones the vouchers can use). */
const WIN_ANSI: Record<number, string> = { 128: '€', 145: '‘', 146: '’', 147: '“', 148: '”', 149: '•' };
const winAnsi = (bytes: number[]) => bytes.map((b) => WIN_ANSI[b] ?? String.fromCharCode(b)).join('');

type Token = number | string | { hex: number[] } | { literal: number[] } | Token[];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const stack: Token[][] = [tokens];
  let i = 0;
  const push = (t: Token) => stack[stack.length - 1]?.push(t);
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) i++;
    else if (c === '%') while (i < source.length && source[i] !== '\n') i++;
    else if (c === '[') {
      const array: Token[] = [];
      push(array);
      stack.push(array);
      i++;
    } else if (c === ']') {
      stack.pop();
      i++;
    } else if (c === '<' && source[i + 1] !== '<') {
      const end = source.indexOf('>', i);
      const hex = source.slice(i + 1, end).replace(/\s/g, '');
      push({ hex: (hex.match(/../g) ?? []).map((h) => Number.parseInt(h, 16)) });
      i = end + 1;
    } else if (c === '(') {
      const bytes: number[] = [];
      let depth = 1;
      i++;
      while (i < source.length && depth > 0) {
        const ch = source[i] as string;
        if (ch === '\\') {
          bytes.push((source[i + 1] ?? '').charCodeAt(0));
          i += 2;
          continue;
        }
        if (ch === '(') depth++;
        if (ch === ')' && --depth === 0) break;
        bytes.push(ch.charCodeAt(0));
        i++;
      }
      push({ literal: bytes });
      i++;
    } else {
      const match = /^[^\s[\]()<>/%]+|^\/[^\s[\]()<>/%]*|^<<|^>>/.exec(source.slice(i, i + 64));
      const word = match?.[0] ?? c;
      push(/^[-+]?(\d+\.?\d*|\.\d+)$/.test(word) ? Number(word) : word);
      i += word.length;
    }
  }
  return tokens;
}

type Matrix = [number, number, number, number, number, number];
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];

function interpret(source: string): Omit<ReadPage, 'width' | 'height'> {
  const texts: string[] = [];
  const rects: ReadPage['rects'] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const saved: Matrix[] = [];
  let path: ReadPage['rects'] = [];
  let operands: Token[] = [];
  const textOf = (t: Token): string =>
    Array.isArray(t)
      ? t.map(textOf).join('')
      : typeof t === 'object' && 'hex' in t
        ? winAnsi(t.hex)
        : typeof t === 'object' && 'literal' in t
          ? winAnsi(t.literal)
          : '';
  for (const token of tokenize(source)) {
    if (typeof token !== 'string' || token.startsWith('/')) {
      operands.push(token);
      continue;
    }
    const n = operands.map((o) => (typeof o === 'number' ? o : 0));
    switch (token) {
      case 'q':
        saved.push(ctm);
        break;
      case 'Q':
        ctm = saved.pop() ?? [1, 0, 0, 1, 0, 0];
        break;
      case 'cm':
        ctm = multiply(n as Matrix, ctm);
        break;
      case 're': {
        // Transforms here only translate and scale (no rotation): corners map to corners.
        const [x, y, w, h] = n as [number, number, number, number];
        const [a, , , d, e, f] = ctm;
        path.push({ x: a * x + e, y: d * y + f, width: a * w, height: d * h });
        break;
      }
      case 'f':
      case 'F':
      case 'f*':
        rects.push(...path);
        path = [];
        break;
      case 'n':
      case 'S':
      case 's':
        path = [];
        break;
      case 'Tj':
      case "'":
      case '"':
      case 'TJ':
        texts.push(textOf(operands[operands.length - 1] as Token));
        break;
    }
    operands = [];
  }
  return { texts, rects };
}

/**
 * The QR code jsQR finds in a region of a page (points), rasterised at `scale` pixels a point:
 * its text, or null where it finds none.
 */
export function decodeQr(
  page: ReadPage,
  region: { x: number; y: number; width: number; height: number },
  scale = 3,
): string | null {
  const w = Math.ceil(region.width * scale);
  const h = Math.ceil(region.height * scale);
  const pixels = new Uint8ClampedArray(w * h * 4).fill(255);
  for (const r of page.rects) {
    const x0 = Math.max(0, Math.round((r.x - region.x) * scale));
    const x1 = Math.min(w, Math.round((r.x + r.width - region.x) * scale));
    // Pixel rows run top down; PDF y runs bottom up.
    const y0 = Math.max(0, Math.round((region.y + region.height - (r.y + r.height)) * scale));
    const y1 = Math.min(h, Math.round((region.y + region.height - r.y) * scale));
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++) pixels.fill(0, (y * w + x) * 4, (y * w + x) * 4 + 3);
  }
  return jsQR(pixels, w, h)?.data ?? null;
}

/**
 * The QR code of each block of a page laid out as a grid (columns × rows inside a margin, in
 * points), row by row; blocks without one are left out.
 */
export function qrCodesInGrid(
  page: ReadPage,
  grid: { columns: number; rows: number; margin: number },
): string[] {
  const width = (page.width - 2 * grid.margin) / grid.columns;
  const height = (page.height - 2 * grid.margin) / grid.rows;
  return Array.from({ length: grid.columns * grid.rows }, (_, i) =>
    decodeQr(page, {
      x: grid.margin + (i % grid.columns) * width,
      y: page.height - grid.margin - (Math.floor(i / grid.columns) + 1) * height,
      width,
      height,
    }),
  ).filter((text): text is string => text !== null);
}

/**
 * A voucher batch's PDF answer as the route documents it (type, caching, file name, A4 pages),
 * read back.
 */
export async function expectVoucherPdf(res: Response, batchId: string): Promise<ReadPage[]> {
  expect(res.status).toBe(200);
  expect(res.headers.get('Content-Type')).toBe('application/pdf');
  expect(res.headers.get('Cache-Control')).toBe('private, no-store');
  expect(res.headers.get('Content-Disposition')).toBe(`inline; filename="dienstencheques-${batchId}.pdf"`);
  const { pages } = await readPdf(new Uint8Array(await res.arrayBuffer()));
  for (const page of pages) expect([page.width, page.height].map(Math.round)).toEqual([595, 842]);
  return pages;
}
