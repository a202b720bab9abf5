/// <reference types="@cloudflare/vitest-pool-workers/types" />
/**
 * The CSV exports in the Worker runtime: papaparse's unparse, the byte order mark and the Dutch
 * clock (Intl in workerd) as production runs them.
 */
import { SELF } from 'cloudflare:test';
import { dutchDay } from '@wijkteams/time';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { ADMIN, post } from './api.ts';

const INJECTION = '=HYPERLINK("https://evil.example","Klik")';
const get = (path: string, accept?: string) =>
  SELF.fetch(`https://api.example${path}`, { headers: { ...ADMIN, ...(accept ? { Accept: accept } : {}) } });

const today = () => dutchDay(new Date());

async function readCsv(res: Response) {
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
  expect(res.headers.get('Content-Disposition')).toMatch(/^attachment; filename="[\w.-]+\.csv"$/);
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes).slice(1);
  expect(text.endsWith('\r\n')).toBe(true);
  const parsed = Papa.parse<Record<string, string>>(text, {
    header: true,
    delimiter: ';',
    skipEmptyLines: true,
  });
  expect(parsed.errors).toEqual([]);
  return { text, rows: parsed.data };
}

describe('CSV exports in workerd', () => {
  it('answers the vouchers of a day and an account statement as CSV, equal to the JSON', async () => {
    const registered = await post('/v1/waalre/providers', {
      name: 'Leerwerkbedrijf exports',
      tier: 'company',
      categories: ['odd-jobs'],
      contact: { email: 'exports@example.nl' },
    });
    expect(registered.status).toBe(201);
    const provider = ((await registered.json()) as { id: string }).id;
    const issued = await post('/v1/waalre/voucher-batches', { holder: 'res-exports-workerd', count: 3 });
    expect(issued.status).toBe(201);
    const batch = (await issued.json()) as { accountId: string; vouchers: { code: string }[] };
    const redeemed = await post(`/v1/waalre/vouchers/${batch.vouchers[0]?.code}/redemptions`, {
      provider,
      requestReference: INJECTION,
    });
    expect(redeemed.status, await redeemed.clone().text()).toBe(201);

    const day = today();
    const list = `/v1/waalre/vouchers?from=${day}&to=${day}`;
    const json = (await (await get(`${list}&limit=500`)).json()) as {
      vouchers: { code: string; status: string; faceValueCents: number }[];
    };
    const csv = await readCsv(await get(list, 'text/csv'));
    expect(csv.rows.map((r) => [r.code, r.status, Number(r.faceValueCents), r.faceValueEuros])).toEqual(
      json.vouchers.map((v) => [v.code, v.status, v.faceValueCents, '5,00']),
    );
    expect(csv.rows.find((r) => r.code === batch.vouchers[0]?.code)?.status).toBe('redeemed');
    expect(csv.rows[0]?.issuedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$/);

    const statement = `/v1/waalre/accounts/${batch.accountId}/transfers`;
    const entries = (
      (await (await get(statement)).json()) as { entries: { transferId: string; amountCents: number }[] }
    ).entries;
    const lines = await readCsv(await get(statement, 'text/csv'));
    expect(lines.rows.map((r) => [r.transferId, Number(r.amountCents)])).toEqual(
      entries.map((e) => [e.transferId, e.amountCents]),
    );
    expect(lines.rows.at(-1)).toMatchObject({ amountEuros: '-5,00', externalReference: `'${INJECTION}` });
  });

  it('refuses a bad period with a 400 problem naming it', async () => {
    const res = await get('/v1/waalre/vouchers?from=2026-02-30&to=2026-03-01', 'text/csv');
    expect(res.status).toBe(400);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    const body = (await res.json()) as { invalidParams: { name: string }[] };
    expect(body.invalidParams.map((p) => p.name)).toEqual(['query.from']);
  });
});
