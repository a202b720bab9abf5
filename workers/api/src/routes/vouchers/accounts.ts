import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  type AccountStatement,
  accountBalance,
  accountStatement,
  type LedgerContext,
  MAX_STATEMENT_PAGE,
  type StatementEntry,
} from '@wijkteams/ledger';
import type { Context } from 'hono';
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
import { idParam, TenantParam, tenantRouteProblems } from '../schemas.ts';
import {
  AccountBalanceSchema,
  AccountStatementSchema,
  STATEMENT_ENTRY_EXAMPLE,
  VOUCHER_EXAMPLE,
} from './schemas.ts';
import { ledgerContext } from './shared.ts';

const AccountParams = z.object({
  tenant: TenantParam,
  accountId: idParam('accountId', 'acc', VOUCHER_EXAMPLE.accountId),
});

const balance = createRoute({
  method: 'get',
  path: '/v1/{tenant}/accounts/{accountId}',
  operationId: 'getAccount',
  tags: ['Vouchers'],
  summary: 'An account’s balance, now or at a moment in the past (`asOf`)',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('vouchers:read')] as const,
  request: {
    params: AccountParams,
    query: z.object({
      asOf: z
        .string()
        .datetime({ offset: true })
        .optional()
        .openapi({ example: '2026-03-01T00:00:00+01:00', description: 'The balance at this moment' }),
    }),
  },
  responses: {
    200: {
      description: 'The balance',
      content: {
        'application/json': {
          schema: AccountBalanceSchema,
        },
      },
    },
    ...tenantRouteProblems('not-found'),
  },
});

/** The CSV's columns: the JSON's fields, each amount also in euros. */
export const STATEMENT_CSV_COLUMNS: CsvColumn<StatementEntry>[] = [
  column('sequence', (e) => e.sequence),
  column('transferId', (e) => e.transferId),
  instantColumn('createdAt', (e) => e.createdAt),
  column('code', (e) => e.code),
  column('reference', (e) => e.reference),
  column('externalReference', (e) => e.externalReference),
  ...moneyColumns<StatementEntry>('amount', (e) => e.amountCents),
  column('counterpartyAccountId', (e) => e.counterpartyAccountId),
  ...moneyColumns<StatementEntry>('balanceAfter', (e) => e.balanceAfterCents),
];

const STATEMENT_CSV_EXAMPLE: StatementEntry[] = [
  STATEMENT_ENTRY_EXAMPLE,
  {
    transferId: 'tr_01jdq3f7h9k1m3p5r7t9v1x3z5',
    sequence: 57,
    createdAt: '2026-03-09T14:02:11.000Z',
    code: 'redeem',
    reference: VOUCHER_EXAMPLE.code,
    externalReference: 'WAA-2026-000042',
    amountCents: -500,
    counterpartyAccountId: VOUCHER_EXAMPLE.providerAccountId,
    balanceAfterCents: 0,
  },
];

const statement = createRoute({
  method: 'get',
  path: '/v1/{tenant}/accounts/{accountId}/transfers',
  operationId: 'getAccountStatement',
  tags: ['Vouchers'],
  summary: 'An account statement: its transfers, oldest first, with the running balance; paged, or as CSV',
  description: `JSON is paged by \`cursor\` and \`limit\`. \`Accept: text/csv\` gives the statement from \`cursor\` on in one CSV (see \`CsvExport\`): every entry, up to ${CSV_MAX_ROWS.toLocaleString('en')}; a statement with more is a 400 naming \`query.limit\`: export it in parts with \`limit\` (up to ${CSV_MAX_ROWS.toLocaleString('en')}), each answer's \`Link\` header naming the next part.`,
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('vouchers:read')] as const,
  request: {
    params: AccountParams,
    query: z.object({
      cursor: z
        .string()
        .regex(/^\d{1,15}$/, 'Not a cursor: pass back nextCursor')
        .optional()
        .openapi({ description: '`nextCursor` of the page before' }),
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(CSV_MAX_ROWS)
        .optional()
        .openapi({
          example: 100,
          description: `Entries per page: JSON 1–${MAX_STATEMENT_PAGE}, default 100; CSV 1–${CSV_MAX_ROWS}, default all`,
        }),
    }),
  },
  responses: {
    200: {
      description: 'A page of the statement (JSON), or the statement from `cursor` on (CSV)',
      headers: {
        ...CSV_HEADERS,
        Link: {
          description: 'CSV with `limit`, when more entries follow: `<…?cursor=…&limit=…>; rel="next"`',
          schema: {
            type: 'string',
            example:
              '</v1/waalre/accounts/acc_01jdq3c8e0g2j4l6n8q0s2u4wy/transfers?cursor=10041&limit=10000>; rel="next"',
          },
        },
      },
      content: {
        'application/json': { schema: AccountStatementSchema },
        ...csvContent({ columns: STATEMENT_CSV_COLUMNS, rows: STATEMENT_CSV_EXAMPLE }),
      },
    },
    ...tenantRouteProblems('not-found'),
  },
});

/** A key that acts as a provider reads its own voucher account only. */
async function mayRead(c: Context<AppEnv>, accountId: string): Promise<void> {
  const actor = c.get('actor');
  if (actor.type !== 'key' || !actor.providerId) return;
  const { rows } = await c
    .get('db')()
    .$client.execute({
      sql: `SELECT 1 FROM ledger_accounts WHERE id = ? AND kind = 'provider' AND reference = ?`,
      args: [accountId, actor.providerId],
    });
  if (rows.length === 0) throw new ApiError('forbidden', 'A provider’s key reads its own account only');
}

export function registerAccountRoutes(app: OpenAPIHono<AppEnv>) {
  registerRoute(app, balance, async (c) => {
    await mayRead(c, c.req.valid('param').accountId);
    const { asOf } = c.req.valid('query');
    const found = await accountBalance(
      ledgerContext(c),
      c.req.valid('param').accountId,
      asOf ? new Date(asOf) : undefined,
    );
    if (!found) throw new ApiError('not-found', 'This municipality has no such account');
    return c.json(
      { ...found, asOf: found.asOf ? new Date(found.asOf).toISOString() : new Date().toISOString() },
      200,
    );
  });
  registerRoute(app, statement, async (c) => {
    const { accountId } = c.req.valid('param');
    const { cursor, limit } = c.req.valid('query');
    await mayRead(c, accountId);
    if (wantsCsv(c)) {
      const part = await statementPart(ledgerContext(c), accountId, cursor ?? null, limit ?? CSV_MAX_ROWS);
      if (!part) throw new ApiError('not-found', 'This municipality has no such account');
      if (part.nextCursor !== null) {
        if (limit === undefined) {
          throw new ApiError('validation-failed', `The statement has more than ${CSV_MAX_ROWS} entries`, {
            invalidParams: [
              {
                name: 'query.limit',
                reason: `More than ${CSV_MAX_ROWS} entries in one CSV: export it in parts with limit (at most ${CSV_MAX_ROWS}); the Link header names the next part`,
              },
            ],
          });
        }
        const next = new URLSearchParams({ cursor: part.nextCursor, limit: String(limit) });
        c.header('Link', `<${c.req.path}?${next}>; rel="next"`);
      }
      const from = cursor ? `-after-${cursor}` : '';
      return csvAnswer(c, `statement-${accountId}${from}.csv`, STATEMENT_CSV_COLUMNS, part.entries);
    }
    if (limit !== undefined && limit > MAX_STATEMENT_PAGE) {
      throw new ApiError('validation-failed', 'A JSON page is too large', {
        invalidParams: [
          {
            name: 'query.limit',
            reason: `At most ${MAX_STATEMENT_PAGE} per JSON page (${CSV_MAX_ROWS} as CSV)`,
          },
        ],
      });
    }
    const page = await accountStatement(ledgerContext(c), accountId, {
      cursor: cursor ?? null,
      limit: limit ?? 100,
    });
    if (!page) throw new ApiError('not-found', 'This municipality has no such account');
    return c.json(page, 200);
  });
}

/** Up to `limit` entries after `cursor`, read page by page as the JSON pages them; null for an unknown account. */
async function statementPart(
  ctx: LedgerContext,
  accountId: string,
  cursor: string | null,
  limit: number,
): Promise<AccountStatement | null> {
  const entries: StatementEntry[] = [];
  let after = cursor;
  for (;;) {
    const page = await accountStatement(ctx, accountId, {
      cursor: after,
      limit: Math.min(MAX_STATEMENT_PAGE, limit - entries.length),
    });
    if (!page) return null;
    entries.push(...page.entries);
    after = page.nextCursor;
    if (after === null || entries.length >= limit) return { accountId, entries, nextCursor: after };
  }
}
