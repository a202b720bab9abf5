import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { jsonBody, TenantParam, tenantRouteProblems } from '../schemas.ts';
import {
  IdempotencyHeaders,
  idempotencyKeyOf,
  invalidCode,
  LedgerReference,
  ledgerAnswer,
  SETTLE_PROBLEMS,
  VoucherCodeParam,
  writeLedger,
} from './shared.ts';

const route = createRoute({
  method: 'post',
  path: '/v1/{tenant}/vouchers/{code}/redemptions',
  operationId: 'redeemVoucher',
  tags: ['Vouchers'],
  summary: 'Redeem a voucher: its value moves from the holder to the provider, exactly once',
  description:
    'The same Idempotency-Key with the same body replays the first answer (status and body); with another body it is a 409. A voucher already redeemed, voided or expired is a 409 whose problem type says which.',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('vouchers:redeem')] as const,
  request: {
    params: z.object({ tenant: TenantParam, code: VoucherCodeParam }),
    headers: IdempotencyHeaders,
    body: jsonBody(
      z
        .strictObject({
          provider: LedgerReference.openapi({ example: 'prv-klusbedrijf-aalst' }),
          requestReference: z.string().min(1).max(100).optional().openapi({ example: 'WAA-2026-000042' }),
        })
        .openapi('Redemption'),
    ),
  },
  responses: {
    201: {
      description: 'Redeemed',
      content: {
        'application/json': { schema: z.record(z.string(), z.unknown()).openapi('RedemptionReceipt') },
      },
    },
    ...tenantRouteProblems(...SETTLE_PROBLEMS),
  },
});

export const registerRedeemVoucher = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const { code } = c.req.valid('param');
    const body = c.req.valid('json');
    const result = await writeLedger(c, 'redeem', {
      code,
      provider: body.provider,
      ...(body.requestReference === undefined ? {} : { requestReference: body.requestReference }),
      idempotencyKey: idempotencyKeyOf(c, c.req.valid('header')['idempotency-key']),
    });
    if (result.status === 'invalid-code') throw invalidCode(result.reason);
    return c.json(ledgerAnswer(c, result), 201);
  });
