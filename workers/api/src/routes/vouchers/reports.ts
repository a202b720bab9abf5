import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { auditBalances, type VoucherReport, verifyChain, voucherReportForDays } from '@wijkteams/ledger';
import type { AppEnv } from '../../context.ts';
import {
  CSV_HEADERS,
  type CsvColumn,
  column,
  csvAnswer,
  csvContent,
  moneyColumns,
  wantsCsv,
} from '../../csv.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { checkPeriod, periodQuery, TenantPathSchema, tenantRouteProblems } from '../schemas.ts';
import { LedgerVerificationSchema, VOUCHER_REPORT_EXAMPLE, VoucherReportSchema } from './schemas.ts';
import { ledgerContext } from './shared.ts';

const SPLIT = ['issued', 'redeemed', 'expired', 'voided', 'outstanding'] as const;

/** One data row: the period, each amount in euros and cents, then the same split in vouchers. */
const REPORT_CSV_COLUMNS: CsvColumn<VoucherReport>[] = [
  column('from', (r) => r.from),
  column('to', (r) => r.to),
  ...SPLIT.flatMap((part) => moneyColumns<VoucherReport>(part, (r) => r[`${part}Cents`])),
  ...SPLIT.map((part) => column<VoucherReport>(`${part}Vouchers`, (r) => r.vouchers[part])),
];

const report = createRoute({
  method: 'get',
  path: '/v1/{tenant}/voucher-reports',
  operationId: 'getVoucherReport',
  tags: ['Vouchers'],
  summary: 'Issued, redeemed, expired, voided and outstanding value for a period',
  description:
    'Covers the vouchers issued from `from` up to and including `to`, Dutch calendar days (from midnight in the Netherlands); issued = redeemed + expired + voided + outstanding, where outstanding is what was not yet settled at the end of the period.',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('reports:read')] as const,
  request: {
    params: TenantPathSchema,
    query: z.object(periodQuery({ from: '2026-01-01', to: '2026-03-31' })),
  },
  responses: {
    200: {
      description:
        'The report; as CSV one data row (see `CsvExport`), the split in vouchers as `<part>Vouchers`',
      headers: CSV_HEADERS,
      content: {
        'application/json': {
          schema: VoucherReportSchema,
        },
        ...csvContent({ columns: REPORT_CSV_COLUMNS, rows: [VOUCHER_REPORT_EXAMPLE] }),
      },
    },
    ...tenantRouteProblems(),
  },
});

const verification = createRoute({
  method: 'get',
  path: '/v1/{tenant}/ledger-verification',
  operationId: 'verifyLedger',
  tags: ['Vouchers'],
  summary: 'Recompute the hash chain of all transfers and every balance; names the first break',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('reports:read')] as const,
  request: { params: TenantPathSchema },
  responses: {
    200: {
      description: 'The outcome of the verification',
      content: {
        'application/json': { schema: LedgerVerificationSchema },
      },
    },
    ...tenantRouteProblems(),
  },
});

export function registerVoucherReportRoutes(app: OpenAPIHono<AppEnv>) {
  registerRoute(app, report, async (c) => {
    const { from, to } = c.req.valid('query');
    checkPeriod({ from, to });
    const result = { ...(await voucherReportForDays(ledgerContext(c), { from, to })), from, to };
    if (wantsCsv(c)) {
      const name = `voucher-report-${c.get('tenant').slug}-${from}-${to}.csv`;
      return csvAnswer(c, name, REPORT_CSV_COLUMNS, [result]);
    }
    return c.json(result, 200);
  });
  registerRoute(app, verification, async (c) => {
    const ctx = ledgerContext(c);
    const [chain, balances] = await Promise.all([verifyChain(ctx), auditBalances(ctx)]);
    return c.json({ chain, balances }, 200);
  });
}
