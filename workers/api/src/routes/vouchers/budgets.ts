import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { jsonBody, TenantPathSchema, tenantRouteProblems } from '../schemas.ts';
import { payee } from './redeem.ts';
import { BudgetGrantReceiptSchema, BudgetSpendReceiptSchema, VOUCHER_EXAMPLE } from './schemas.ts';
import {
  CentsSchema,
  ExternalReference,
  IdempotencyHeaders,
  idempotencyKeyOf,
  LedgerReference,
  ledgerAnswer,
  writeLedger,
} from './shared.ts';

const Year = z.number().int().min(2000).max(2100);

const grant = createRoute({
  method: 'post',
  path: '/v1/{tenant}/budget-grants',
  operationId: 'grantBudget',
  tags: ['Vouchers'],
  summary: 'Put a yearly budget on a resident account (AlkmaarPas style)',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('vouchers:issue')] as const,
  request: {
    params: TenantPathSchema,
    headers: IdempotencyHeaders,
    body: jsonBody(
      z
        .strictObject({ holder: LedgerReference, year: Year, amountCents: CentsSchema })
        .openapi('BudgetGrant', {
          example: { holder: VOUCHER_EXAMPLE.holder, year: 2026, amountCents: 25_000 },
        }),
    ),
  },
  responses: {
    201: {
      description: 'Granted',
      content: { 'application/json': { schema: BudgetGrantReceiptSchema } },
    },
    ...tenantRouteProblems('idempotency-conflict'),
  },
});

const spend = createRoute({
  method: 'post',
  path: '/v1/{tenant}/budget-spends',
  operationId: 'spendBudget',
  tags: ['Vouchers'],
  summary: 'Pay a provider part of a resident’s budget; never below zero',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('vouchers:redeem')] as const,
  request: {
    params: TenantPathSchema,
    headers: IdempotencyHeaders,
    body: jsonBody(
      z
        .strictObject({
          holder: LedgerReference,
          provider: LedgerReference,
          amountCents: CentsSchema,
          year: Year.optional().openapi({ description: 'Default: the current year in the Netherlands' }),
          requestReference: ExternalReference.optional(),
        })
        .openapi('BudgetSpend', {
          example: {
            holder: VOUCHER_EXAMPLE.holder,
            provider: VOUCHER_EXAMPLE.provider,
            amountCents: 2_500,
            year: 2026,
          },
        }),
    ),
  },
  responses: {
    201: {
      description: 'Paid',
      content: { 'application/json': { schema: BudgetSpendReceiptSchema } },
    },
    ...tenantRouteProblems('insufficient-funds', 'idempotency-conflict'),
  },
});

export function registerBudgetRoutes(app: OpenAPIHono<AppEnv>) {
  registerRoute(app, grant, async (c) => {
    const body = c.req.valid('json');
    const result = await writeLedger(c, 'grant', {
      ...body,
      idempotencyKey: idempotencyKeyOf(c, c.req.valid('header')['idempotency-key']),
    });
    return c.json(ledgerAnswer(c, result), 201);
  });
  registerRoute(app, spend, async (c) => {
    const body = c.req.valid('json');
    const result = await writeLedger(c, 'spend', {
      ...body,
      provider: await payee(c, body.provider),
      idempotencyKey: idempotencyKeyOf(c, c.req.valid('header')['idempotency-key']),
    });
    return c.json(ledgerAnswer(c, result), 201);
  });
}
