import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SHEET_LAYOUT } from '../../src/print/voucher-sheet.ts';
import { preferredType } from '../../src/routes/accept.ts';
import { expectVoucherPdf, qrCodesInGrid, type ReadPage, readPdf } from '../pdf-reader.ts';

const qrCodes = (page: ReadPage) => qrCodesInGrid(page, SHEET_LAYOUT);

import { ADMIN_KEY, nodeAppFixture } from './fixture.ts';
import { bearer, expectProblem, json, seedProviders } from './helpers.ts';

let fixture: Awaited<ReturnType<typeof nodeAppFixture>>;
beforeAll(async () => {
  fixture = await nodeAppFixture({ KEY_RATE_LIMIT_PER_MINUTE: '100000' });
  await seedProviders(fixture.dataDir, 'waalre', ['prv-print']);
});
afterAll(() => fixture.cleanup());
afterEach(() => {
  vi.useRealTimers();
});

const admin = bearer(ADMIN_KEY);
let counter = 0;
const idempotencyKey = () => ({ 'Idempotency-Key': `print-test-${Date.now()}-${counter++}` });

interface Batch {
  batchId: string;
  accountId: string;
  vouchers: { code: string; status: string; faceValueCents: number; validUntil: string }[];
}

async function issue(count: number, extra: object = {}): Promise<Batch> {
  const res = await fixture.request(
    '/v1/waalre/voucher-batches',
    json('POST', { holder: `res-print-${counter++}`, count, ...extra }, { ...admin, ...idempotencyKey() }),
  );
  expect(res.status).toBe(201);
  return (await res.json()) as Batch;
}

const getBatch = (batchId: string, headers: Record<string, string> = {}) =>
  fixture.request(`/v1/waalre/voucher-batches/${batchId}`, { headers: { ...admin, ...headers } });

async function keyWith(scopes: string[], providerId?: string): Promise<string> {
  const res = await fixture.request(
    '/v1/waalre/api-keys',
    json('POST', { name: `print ${scopes.join(' ')}`, scopes, ...(providerId ? { providerId } : {}) }, admin),
  );
  expect(res.status).toBe(201);
  return ((await res.json()) as { key: string }).key;
}

describe('a voucher batch, to read and to print', () => {
  it('answers the batch as JSON: its id, the account and every voucher as it is now', async () => {
    const batch = await issue(3);
    const res = await getBatch(batch.batchId);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
    expect(res.headers.get('Vary')).toBe('Accept');
    const body = (await res.json()) as Batch & { issuedAt: string };
    expect(body).toMatchObject({ batchId: batch.batchId, accountId: batch.accountId });
    expect(body.vouchers.map((v) => [v.code, v.status, v.faceValueCents])).toEqual(
      batch.vouchers.map((v) => [v.code, 'issued', 500]),
    );
  });

  it('prints the batch as an A4 PDF whose QR codes decode to its codes, and redeems a code as its QR code gives it', async () => {
    const batch = await issue(12);
    const pages = await expectVoucherPdf(
      await getBatch(batch.batchId, { Accept: 'application/pdf' }),
      batch.batchId,
    );
    expect(pages).toHaveLength(2);
    const decoded = pages.flatMap(qrCodes);
    expect(decoded).toEqual(batch.vouchers.map((v) => v.code));
    const texts = pages.flatMap((p) => p.texts);
    for (const { code } of batch.vouchers) expect(texts).toContain(code);
    expect(texts.filter((t) => t === 'Gemeente Waalre')).toHaveLength(12);
    expect(texts.filter((t) => t === '€ 5,00')).toHaveLength(12);

    // The provider's scanner reads the QR code; redemption takes its text as it is.
    const scanned = decoded[0] as string;
    const redeemed = await fixture.request(
      `/v1/waalre/vouchers/${scanned}/redemptions`,
      json('POST', { provider: 'prv-print' }, { ...admin, ...idempotencyKey() }),
    );
    expect(redeemed.status).toBe(201);
    expect(await redeemed.json()).toMatchObject({ code: batch.vouchers[0]?.code });

    // Printed again, the batch leaves out what can no longer be used.
    const again = await readPdf(
      new Uint8Array(await (await getBatch(batch.batchId, { Accept: 'application/pdf' })).arrayBuffer()),
    );
    expect(again.pages.flatMap(qrCodes)).toEqual(decoded.slice(1));
    const now = (await (await getBatch(batch.batchId)).json()) as Batch;
    expect(now.vouchers.map((v) => v.status)).toEqual(['redeemed', ...Array(11).fill('issued')]);
  });

  it('shows a voucher past its date as expired at once, and prints no voucher that cannot be used', async () => {
    const start = new Date();
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    const validUntil = new Date(start.getTime() + 3_600_000).toISOString();
    const batch = await issue(2, { validUntil });
    vi.setSystemTime(start.getTime() + 2 * 3_600_000);
    const body = (await (await getBatch(batch.batchId)).json()) as Batch;
    expect(body.vouchers.map((v) => v.status)).toEqual(['expired', 'expired']);
    const { pages } = await readPdf(
      new Uint8Array(await (await getBatch(batch.batchId, { Accept: 'application/pdf' })).arrayBuffer()),
    );
    expect(pages).toHaveLength(1);
    expect(pages.flatMap(qrCodes)).toEqual([]);
    expect(pages[0]?.texts).toContain('Deze reeks heeft geen cheques meer die nog gebruikt kunnen worden.');
  });

  it('answers an unknown batch 404 and a malformed id 400, as problems', async () => {
    await expectProblem(await getBatch('vb_01jdq3b2c4e6g8j0l2n4q6s8u0'), 404, 'not-found');
    await expectProblem(
      await getBatch('vb_01jdq3b2c4e6g8j0l2n4q6s8u0', { Accept: 'application/pdf' }),
      404,
      'not-found',
    );
    const bad = await expectProblem(await getBatch('not-a-batch'), 400, 'validation-failed');
    expect(bad.invalidParams).toEqual([expect.objectContaining({ name: 'path.batchId' })]);
  });

  it('answers an Accept it cannot give with 406, and follows the preferences it can', async () => {
    const batch = await issue(1);
    const refused = await expectProblem(
      await getBatch(batch.batchId, { Accept: 'text/csv' }),
      406,
      'not-acceptable',
    );
    expect(refused.detail).toContain('application/pdf');
    const typeFor = async (accept: string) =>
      (await getBatch(batch.batchId, { Accept: accept })).headers.get('Content-Type');
    expect(await typeFor('text/html, application/pdf;q=0.5')).toBe('application/pdf');
    expect(await typeFor('application/pdf;q=0, */*')).toMatch(/^application\/json/);
    expect(await typeFor('*/*')).toMatch(/^application\/json/);
  });

  it('opens to vouchers:read and vouchers:issue, and to no provider’s key', async () => {
    const batch = await issue(1);
    for (const scopes of [['vouchers:read'], ['vouchers:issue']]) {
      const res = await getBatch(batch.batchId, {
        ...bearer(await keyWith(scopes)),
        Accept: 'application/pdf',
      });
      expect([scopes, res.status]).toEqual([scopes, 200]);
    }
    await expectProblem(
      await getBatch(batch.batchId, bearer(await keyWith(['requests:read']))),
      403,
      'forbidden',
    );
    const provider = await keyWith(['vouchers:read', 'vouchers:redeem'], 'prv-print');
    const refused = await expectProblem(await getBatch(batch.batchId, bearer(provider)), 403, 'forbidden');
    expect(refused.detail).toContain('provider');
    const other = await fixture.request(`/v1/zeist/voucher-batches/${batch.batchId}`, { headers: admin });
    await expectProblem(other, 404, 'not-found');
  });
});

describe('choosing what to answer from Accept', () => {
  const offered = ['application/json', 'application/pdf'] as const;
  it.each([
    [undefined, 'application/json'],
    ['', 'application/json'],
    ['application/pdf', 'application/pdf'],
    ['APPLICATION/PDF', 'application/pdf'],
    ['application/*', 'application/json'],
    ['application/pdf, application/json;q=0.9', 'application/pdf'],
    ['application/json;q=0.4, application/pdf;q=0.8', 'application/pdf'],
    ['*/*;q=0.1, application/pdf;q=0', 'application/json'],
    ['text/csv', null],
    ['application/*;q=0', null],
    ['nonsense', null],
  ])('%j → %s', (accept, expected) => {
    expect(preferredType(accept, offered)).toBe(expected);
  });
});
