import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { VOUCHER_STATUSES } from '@wijkteams/db';
import { type ListedVoucher, listVouchers } from '@wijkteams/ledger';
import type { AppEnv } from '../../context.ts';
import {
  CSV_HEADERS,
  CSV_MAX_ROWS,
  type CsvColumn,
  column,
  csvAnswer,
  csvContent,
  instantColumn,
  moneyColumns,
  wantsCsv,
} from '../../csv.ts';
import { ApiError } from '../../errors.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { checkPeriod, DaySchema, EXAMPLE, TenantPathSchema, tenantRouteProblems } from '../schemas.ts';
import { VOUCHER_EXAMPLE } from './schemas.ts';
import { ledgerContext } from './shared.ts';

/** A page of JSON; a CSV is the whole period. */
const MAX_PAGE = 500;

const LISTED_EXAMPLE: ListedVoucher = {
  code: VOUCHER_EXAMPLE.code,
  status: 'redeemed',
  faceValueCents: 500,
  validUntil: VOUCHER_EXAMPLE.validUntil,
  accountId: VOUCHER_EXAMPLE.accountId,
  issuedAt: EXAMPLE.at,
  settledAt: EXAMPLE.later,
};

const ListedVoucherSchema = z
  .object({
    code: z.string(),
    status: z
      .enum(VOUCHER_STATUSES)
      .openapi({ description: 'Now: `expired` as soon as validUntil has passed' }),
    faceValueCents: z.number().int(),
    validUntil: z.string().datetime(),
    accountId: z.string().openapi({ description: 'The holder’s voucher account' }),
    issuedAt: z.string().datetime(),
    settledAt: z.string().datetime().nullable().openapi({ description: 'Redeemed, voided or expired at' }),
  })
  .openapi('ListedVoucher', { example: LISTED_EXAMPLE });

const VoucherListSchema = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    vouchers: z.array(ListedVoucherSchema),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass back as `cursor`; null on the last page' }),
  })
  .openapi('VoucherList', {
    example: { from: '2026-01-01', to: '2026-03-31', vouchers: [LISTED_EXAMPLE], nextCursor: null },
  });

/** The CSV's columns: the JSON's fields, the face value also in euros. */
export const VOUCHER_CSV_COLUMNS: CsvColumn<ListedVoucher>[] = [
  column('code', (v) => v.code),
  column('status', (v) => v.status),
  ...moneyColumns<ListedVoucher>('faceValue', (v) => v.faceValueCents),
  instantColumn('validUntil', (v) => v.validUntil),
  instantColumn('issuedAt', (v) => v.issuedAt),
  instantColumn('settledAt', (v) => v.settledAt),
  column('accountId', (v) => v.accountId),
];

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/vouchers',
  operationId: 'listVouchers',
  tags: ['Vouchers'],
  summary: 'The vouchers issued in a period, with their state now; paged JSON, or the whole period as CSV',
  description: `The vouchers issued from \`from\` up to and including \`to\` (Dutch calendar days, from midnight in the Netherlands; replacements on the day they were issued), the same vouchers the voucher report counts, in the order they were issued. \`status\` is the state now: past its date a voucher is \`expired\`, even before the daily expiry run has moved its value. JSON is paged by \`cursor\` and \`limit\`. \`Accept: text/csv\` gives the whole period in one CSV (see \`CsvExport\`), at most ${CSV_MAX_ROWS.toLocaleString('en')} vouchers: a period with more is a 400 naming \`query.to\` (export a shorter period); \`cursor\` and \`limit\` do not apply to it. A key that acts as a provider may not list vouchers.`,
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('vouchers:read')] as const,
  request: {
    params: TenantPathSchema,
    query: z.object({
      from: DaySchema.openapi({ example: '2026-01-01', description: 'First day of issue (Dutch), included' }),
      to: DaySchema.openapi({ example: '2026-03-31', description: 'Last day of issue (Dutch), included' }),
      cursor: z
        .string()
        .regex(/^\d{1,15}$/, 'Not a cursor: pass back nextCursor')
        .optional()
        .openapi({ description: '`nextCursor` of the page before (JSON only)' }),
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(MAX_PAGE)
        .optional()
        .openapi({ example: 100, description: `Vouchers per page, 1–${MAX_PAGE}, default 100 (JSON only)` }),
    }),
  },
  responses: {
    200: {
      description: 'A page of the period’s vouchers (JSON), or all of them (CSV)',
      headers: CSV_HEADERS,
      content: {
        'application/json': { schema: VoucherListSchema },
        ...csvContent({ columns: VOUCHER_CSV_COLUMNS, rows: [LISTED_EXAMPLE] }),
      },
    },
    ...tenantRouteProblems(),
  },
});

export const registerListVouchers = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const { from, to, cursor, limit } = c.req.valid('query');
    checkPeriod({ from, to });
    // A provider's key sees its own account, not which residents hold which vouchers.
    const actor = c.get('actor');
    if (actor.type === 'key' && actor.providerId) {
      throw new ApiError('forbidden', 'A provider’s key may not list the municipality’s vouchers');
    }
    const ctx = ledgerContext(c);
    if (wantsCsv(c)) {
      const paging = [
        cursor === undefined ? [] : ['query.cursor'],
        limit === undefined ? [] : ['query.limit'],
      ].flat();
      if (paging.length > 0) {
        throw new ApiError('validation-failed', 'A CSV holds the whole period', {
          invalidParams: paging.map((name) => ({
            name,
            reason: 'Not with Accept: text/csv: the CSV is the whole period',
          })),
        });
      }
      const all = await listVouchers(ctx, { from, to }, { limit: CSV_MAX_ROWS });
      if (all.nextCursor !== null) {
        throw new ApiError('validation-failed', `The period holds more than ${CSV_MAX_ROWS} vouchers`, {
          invalidParams: [
            {
              name: 'query.to',
              reason: `More than ${CSV_MAX_ROWS} vouchers in one CSV: export a shorter period`,
            },
          ],
        });
      }
      return csvAnswer(
        c,
        `vouchers-${c.get('tenant').slug}-${from}-${to}.csv`,
        VOUCHER_CSV_COLUMNS,
        all.vouchers,
      );
    }
    const page = await listVouchers(ctx, { from, to }, { cursor: cursor ?? null, limit: limit ?? 100 });
    return c.json({ from, to, ...page }, 200);
  });
