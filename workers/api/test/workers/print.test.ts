/// <reference types="@cloudflare/vitest-pool-workers/types" />
/**
 * The printable vouchers inside workerd: the Worker builds the PDF with pdf-lib and qrcode, loaded
 * from their module of their own on the first PDF (src/worker.ts), and the test reads it back here,
 * in workerd too, decoding each QR code from the rectangles the file draws.
 */
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { SHEET_LAYOUT } from '../../src/print/voucher-sheet.ts';
import { expectVoucherPdf, qrCodesInGrid, type ReadPage } from '../pdf-reader.ts';
import { ADMIN, post } from './api.ts';

const qrCodes = (page: ReadPage) => qrCodesInGrid(page, SHEET_LAYOUT);

describe('printable vouchers in workerd', () => {
  it('prints a batch as an A4 PDF whose QR codes decode to its codes, and redeems a code as scanned', async () => {
    const issued = await post('/v1/waalre/voucher-batches', { holder: 'res-workerd-print', count: 11 });
    expect(issued.status).toBe(201);
    const batch = (await issued.json()) as { batchId: string; vouchers: { code: string }[] };

    const res = await SELF.fetch(`https://api.example/v1/waalre/voucher-batches/${batch.batchId}`, {
      headers: { ...ADMIN, Accept: 'application/pdf' },
    });
    const pages = await expectVoucherPdf(res, batch.batchId);
    expect(pages).toHaveLength(2);
    const decoded = pages.flatMap(qrCodes);
    expect(decoded).toEqual(batch.vouchers.map((v) => v.code));
    const texts = pages.flatMap((p) => p.texts);
    for (const { code } of batch.vouchers) expect(texts).toContain(code);
    expect(texts.filter((t) => t === 'Gemeente Waalre')).toHaveLength(11);

    const provider = await post('/v1/waalre/providers', {
      name: 'Leerwerkbedrijf print',
      tier: 'company',
      categories: ['odd-jobs'],
      contact: { email: 'print@example.nl' },
    });
    const { id } = (await provider.json()) as { id: string };
    const redeemed = await post(`/v1/waalre/vouchers/${decoded[10]}/redemptions`, { provider: id });
    expect(redeemed.status).toBe(201);
    expect(await redeemed.json()).toMatchObject({ code: batch.vouchers[10]?.code });

    const json = await SELF.fetch(`https://api.example/v1/waalre/voucher-batches/${batch.batchId}`, {
      headers: ADMIN,
    });
    const now = (await json.json()) as { vouchers: { status: string }[] };
    expect(now.vouchers.map((v) => v.status)).toEqual([...Array(10).fill('issued'), 'redeemed']);
  });

  it('answers an unknown batch 404 and an Accept it cannot give 406, as problems', async () => {
    const unknown = await SELF.fetch(
      'https://api.example/v1/waalre/voucher-batches/vb_01jdq3b2c4e6g8j0l2n4q6s8u0',
      {
        headers: { ...ADMIN, Accept: 'application/pdf' },
      },
    );
    expect([unknown.status, unknown.headers.get('Content-Type')]).toEqual([404, 'application/problem+json']);
    await unknown.body?.cancel();
    const issued = await post('/v1/waalre/voucher-batches', { holder: 'res-workerd-print-2', count: 1 });
    const { batchId } = (await issued.json()) as { batchId: string };
    const refused = await SELF.fetch(`https://api.example/v1/waalre/voucher-batches/${batchId}`, {
      headers: { ...ADMIN, Accept: 'text/csv' },
    });
    expect([refused.status, refused.headers.get('Content-Type')]).toEqual([406, 'application/problem+json']);
    expect(await refused.json()).toMatchObject({ type: 'urn:wijkteams:problem:not-acceptable', status: 406 });
  });
});
