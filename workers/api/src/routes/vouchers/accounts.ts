import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { accountBalance, accountStatement, MAX_STATEMENT_PAGE } from '@wijkteams/ledger';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { idParam, TenantParam, tenantRouteProblems } from '../schemas.ts';
import { AccountBalanceSchema, AccountStatementSchema, VOUCHER_EXAMPLE } from './schemas.ts';
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

const statement = createRoute({
  method: 'get',
  path: '/v1/{tenant}/accounts/{accountId}/transfers',
  operationId: 'getAccountStatement',
  tags: ['Vouchers'],
  summary: 'An account statement: its transfers, oldest first, with the running balance; paged',
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
      limit: z.coerce.number().int().min(1).max(MAX_STATEMENT_PAGE).default(100).openapi({ example: 100 }),
    }),
  },
  responses: {
    200: {
      description: 'A page of the statement',
      content: {
        'application/json': { schema: AccountStatementSchema },
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
    await mayRead(c, c.req.valid('param').accountId);
    const page = await accountStatement(
      ledgerContext(c),
      c.req.valid('param').accountId,
      c.req.valid('query'),
    );
    if (!page) throw new ApiError('not-found', 'This municipality has no such account');
    return c.json(page, 200);
  });
}
