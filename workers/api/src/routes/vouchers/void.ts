import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { VOID_REASONS } from '@wijkteams/ledger';
import type { AppEnv } from '../../context.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { jsonBody, TenantParam, tenantRouteProblems } from '../schemas.ts';
import { VoidingReceiptSchema } from './schemas.ts';
import {
  IdempotencyHeaders,
  idempotencyKeyOf,
  invalidCode,
  ledgerAnswer,
  SETTLE_PROBLEMS,
  VoucherCodeParam,
  writeLedger,
} from './shared.ts';

const route = createRoute({
  method: 'post',
  path: '/v1/{tenant}/vouchers/{code}/voidings',
  operationId: 'voidVoucher',
  tags: ['Vouchers'],
  summary: 'Void a lost or stolen voucher and issue its replacement',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('vouchers:issue')] as const,
  request: {
    params: z.object({ tenant: TenantParam, code: VoucherCodeParam }),
    headers: IdempotencyHeaders,
    body: jsonBody(
      z.strictObject({ reason: z.enum(VOID_REASONS) }).openapi('Voiding', { example: { reason: 'lost' } }),
    ),
  },
  responses: {
    201: {
      description: 'Voided, with the replacement voucher',
      content: {
        'application/json': { schema: VoidingReceiptSchema },
      },
    },
    ...tenantRouteProblems(...SETTLE_PROBLEMS),
  },
});

export const registerVoidVoucher = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const result = await writeLedger(c, 'void', {
      code: c.req.valid('param').code,
      reason: c.req.valid('json').reason,
      idempotencyKey: idempotencyKeyOf(c, c.req.valid('header')['idempotency-key']),
    });
    if (result.status === 'invalid-code') throw invalidCode(result.reason);
    return c.json(ledgerAnswer(c, result), 201);
  });
