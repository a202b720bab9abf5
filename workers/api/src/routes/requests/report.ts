import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { REQUEST_STATUSES } from '@wijkteams/db';
import { type RequestReport, requestReport } from '@wijkteams/intake';
import type { AppEnv } from '../../context.ts';
import {
  CSV_HEADERS,
  type CsvColumn,
  column,
  csvAnswer,
  csvContent,
  decimalColumn,
  wantsCsv,
} from '../../csv.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { EXAMPLE, periodQuery, TenantPathSchema, tenantRouteProblems } from '../schemas.ts';
import { intakeContext, invalid } from './context.ts';

const Count = z.number().int().min(0);

const REPORT_EXAMPLE: RequestReport = {
  from: '2026-01-01',
  to: '2026-03-31',
  total: 10,
  resolved: 7,
  byTeam: [{ teamId: EXAMPLE.teamId, teamName: 'WIJ Centrum', count: 10 }],
  byCategory: [
    { category: 'odd-jobs', count: 6 },
    { category: 'transport', count: 4 },
  ],
  byMonth: [
    { month: '2026-02', count: 3 },
    { month: '2026-03', count: 7 },
  ],
  byStatus: [
    { status: 'resolved', count: 7 },
    { status: 'triaged', count: 3 },
  ],
  byTier: [
    { tier: 'volunteers', count: 7, resolved: 5, shareOfResolved: 0.7143 },
    { tier: 'woonservice', count: 2, resolved: 2, shareOfResolved: 0.2857 },
    { tier: null, count: 1, resolved: 0, shareOfResolved: 0 },
  ],
};

/** One line of the report as CSV: which breakdown, its key and name, and its counts. */
interface ReportLine {
  from: string;
  to: string;
  breakdown: 'total' | 'team' | 'category' | 'month' | 'status' | 'tier';
  key: string | null;
  name: string | null;
  count: number;
  resolved: number | null;
  shareOfResolved: number | null;
}

/**
 * Counts only: the report holds no request, so no name, address, contact or description can reach
 * the CSV. A team's name is the team's own (public) name.
 */
function reportLines(report: RequestReport): ReportLine[] {
  const base = { from: report.from, to: report.to, name: null, resolved: null, shareOfResolved: null };
  return [
    { ...base, breakdown: 'total', key: null, count: report.total, resolved: report.resolved },
    ...report.byTeam.map(
      (t): ReportLine => ({
        ...base,
        breakdown: 'team',
        key: t.teamId,
        name: t.teamName,
        count: t.count,
      }),
    ),
    ...report.byCategory.map(
      (t): ReportLine => ({ ...base, breakdown: 'category', key: t.category, count: t.count }),
    ),
    ...report.byMonth.map((t): ReportLine => ({ ...base, breakdown: 'month', key: t.month, count: t.count })),
    ...report.byStatus.map(
      (t): ReportLine => ({ ...base, breakdown: 'status', key: t.status, count: t.count }),
    ),
    ...report.byTier.map(
      (t): ReportLine => ({
        ...base,
        breakdown: 'tier',
        key: t.tier,
        count: t.count,
        resolved: t.resolved,
        shareOfResolved: t.shareOfResolved,
      }),
    ),
  ];
}

const REPORT_CSV_COLUMNS: CsvColumn<ReportLine>[] = [
  column('from', (l) => l.from),
  column('to', (l) => l.to),
  column('breakdown', (l) => l.breakdown),
  column('key', (l) => l.key),
  column('name', (l) => l.name),
  column('count', (l) => l.count),
  column('resolved', (l) => l.resolved),
  decimalColumn('shareOfResolved', 4, (l) => l.shareOfResolved),
];

const RequestReportSchema = z
  .object({
    from: z.iso.date().openapi({ description: 'Dutch calendar days of receipt, both inclusive' }),
    to: z.iso.date(),
    total: Count,
    resolved: Count.openapi({ description: 'Requests that reached `resolved` (and maybe `closed` since)' }),
    byTeam: z.array(z.object({ teamId: z.string(), teamName: z.string().nullable(), count: Count })),
    byCategory: z.array(z.object({ category: z.string(), count: Count })),
    byMonth: z.array(z.object({ month: z.string().openapi({ example: '2026-03' }), count: Count })),
    byStatus: z.array(z.object({ status: z.enum(REQUEST_STATUSES), count: Count })),
    byTier: z
      .array(
        z.object({
          tier: z.string().nullable().openapi({ description: 'Null: never triaged' }),
          count: Count,
          resolved: Count,
          shareOfResolved: z.number().min(0).max(1).openapi({ description: 'Of all resolved requests' }),
        }),
      )
      .openapi({
        description: 'In ladder order; tiers no longer on the ladder after it, never triaged last',
      }),
  })
  .openapi('RequestReport', { example: REPORT_EXAMPLE });

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/request-reports',
  operationId: 'getRequestReport',
  tags: ['Requests'],
  summary: 'Counts per team, category, tier and month, and the share resolved per tier',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('reports:read')] as const,
  request: {
    params: TenantPathSchema,
    query: z.object(periodQuery({ from: '2026-01-01', to: '2026-03-31' })),
  },
  responses: {
    200: {
      description:
        'The report (receipt dates, Dutch calendar days, both inclusive). As CSV (see `CsvExport`) one line per count: `breakdown` is `total`, `team`, `category`, `month`, `status` or `tier`, `key` what it counts (the team id, category slug, month, status or tier; empty for the total and for never triaged), `name` the team’s name; `resolved` and `shareOfResolved` for the total and the tiers. Counts only: no request, name, contact or description is in it.',
      headers: CSV_HEADERS,
      content: {
        'application/json': { schema: RequestReportSchema },
        ...csvContent({ columns: REPORT_CSV_COLUMNS, rows: reportLines(REPORT_EXAMPLE) }),
      },
    },
    ...tenantRouteProblems(),
  },
});

export const registerRequestReport = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const outcome = await requestReport(await intakeContext(c), c.req.valid('query'));
    if (!outcome.ok) throw invalid(outcome.invalidParams, 'query');
    if (wantsCsv(c)) {
      const { from, to } = outcome.report;
      const name = `request-report-${c.get('tenant').slug}-${from}-${to}.csv`;
      return csvAnswer(c, name, REPORT_CSV_COLUMNS, reportLines(outcome.report));
    }
    return c.json(outcome.report, 200);
  });
