import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { providerNames } from '@wijkteams/intake';
import { settlementForDays } from '@wijkteams/ledger';
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
import { intakeContext } from '../requests/context.ts';
import { checkPeriod, periodQuery, TenantPathSchema, tenantRouteProblems } from '../schemas.ts';
import { ledgerContext } from '../vouchers/shared.ts';
import { SETTLEMENT_EXAMPLE, SettlementSchema } from './schemas.ts';

type Settlement = z.infer<typeof SettlementSchema>;
type Row = Settlement['providers'][number];

/** One line per provider, then the total (`providerId` empty, `name` "Totaal"). */
const SETTLEMENT_CSV_COLUMNS: CsvColumn<Row>[] = [
  column('providerId', (r) => r.providerId),
  column('name', (r) => r.name),
  column('vouchers', (r) => r.vouchers),
  ...moneyColumns<Row>('redeemed', (r) => r.redeemedCents),
  ...moneyColumns<Row>('paidOut', (r) => r.paidOutCents),
  ...moneyColumns<Row>('owed', (r) => r.owedCents),
  column('reversedVouchers', (r) => r.reversed.vouchers),
  ...moneyColumns<Row>('reversed', (r) => r.reversed.cents),
];

const csvRows = (s: Settlement): Row[] => [...s.providers, { providerId: '', name: 'Totaal', ...s.total }];

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/settlements',
  operationId: 'getSettlement',
  tags: ['Finance'],
  summary: 'Per provider: the vouchers redeemed in a period, their value, what was paid out and what is owed',
  description:
    'Covers the redemptions from `from` up to and including `to`, Dutch calendar days. `redeemedCents` is the value of the period’s redemptions minus those reversed since; a redemption is paid out once a payout batch came after it. Summed over all periods, a provider’s `owedCents` is what the next payout batch pays it.',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('reports:read')] as const,
  request: {
    params: TenantPathSchema,
    query: z.object(periodQuery({ from: '2026-11-01', to: '2026-11-30' })),
  },
  responses: {
    200: {
      description:
        'The settlement; as CSV (see `CsvExport`) one line per provider and a last line `Totaal`, each amount in euros and in cents',
      headers: CSV_HEADERS,
      content: {
        'application/json': { schema: SettlementSchema },
        ...csvContent({ columns: SETTLEMENT_CSV_COLUMNS, rows: csvRows(SETTLEMENT_EXAMPLE) }),
      },
    },
    ...tenantRouteProblems(),
  },
});

export const registerSettlement = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const { from, to } = c.req.valid('query');
    checkPeriod({ from, to });
    const [settlement, names] = await Promise.all([
      settlementForDays(ledgerContext(c), { from, to }),
      providerNames(await intakeContext(c)),
    ]);
    const answer = {
      from,
      to,
      providers: settlement.providers.map((p) => ({
        providerId: p.providerId,
        name: names.get(p.providerId) ?? p.providerId,
        vouchers: p.vouchers,
        redeemedCents: p.redeemedCents,
        paidOutCents: p.paidOutCents,
        owedCents: p.owedCents,
        reversed: p.reversed,
      })),
      total: settlement.total,
    };
    if (wantsCsv(c)) {
      return csvAnswer(
        c,
        `settlement-${c.get('tenant').slug}-${from}-${to}.csv`,
        SETTLEMENT_CSV_COLUMNS,
        csvRows(answer),
      );
    }
    return c.json(answer, 200);
  });
