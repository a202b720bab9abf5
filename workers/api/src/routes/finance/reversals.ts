import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { auditTenantChange } from '../audit.ts';
import { registerRoute } from '../register.ts';
import { idParam, jsonBody, TenantParam, tenantRouteProblems } from '../schemas.ts';
import { VOUCHER_EXAMPLE } from '../vouchers/schemas.ts';
import { IdempotencyHeaders, idempotencyKeyOf, writeLedger } from '../vouchers/shared.ts';
import { ReversalRequestSchema, ReversalSchema } from './schemas.ts';

const route = createRoute({
  method: 'post',
  path: '/v1/{tenant}/redemptions/{transferId}/reversals',
  operationId: 'reverseRedemption',
  tags: ['Finance'],
  summary: 'Undo a mistaken redemption: the value goes back to the holder, the voucher can be redeemed again',
  description:
    'A new `reverse` transfer from the provider back to the holder, on the same hash chain; the redemption itself is never changed. The voucher is `issued` again. Only a redemption that has not been paid out can be reversed (a 409 names the payout batch that paid it), and each at most once. The audit log records who reversed which redemption; the reason is kept with the reversal in the municipality’s own database.',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('vouchers:issue')] as const,
  request: {
    params: z.object({
      tenant: TenantParam,
      transferId: idParam('transferId', 'tr', VOUCHER_EXAMPLE.transferId).openapi({
        description: 'The redemption’s `transferId`, from its receipt or the provider’s account statement',
      }),
    }),
    headers: IdempotencyHeaders,
    body: jsonBody(ReversalRequestSchema),
  },
  responses: {
    201: { description: 'Reversed', content: { 'application/json': { schema: ReversalSchema } } },
    ...tenantRouteProblems(
      'redemption-not-found',
      'redemption-already-reversed',
      'redemption-paid-out',
      'idempotency-conflict',
    ),
  },
});

export const registerReverseRedemption = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const { transferId } = c.req.valid('param');
    const result = await writeLedger(c, 'reverse', {
      transferId,
      reason: c.req.valid('json').reason,
      idempotencyKey: idempotencyKeyOf(c, c.req.valid('header')['idempotency-key']),
    });
    if (result.status === 'not-found') {
      throw new ApiError(
        'redemption-not-found',
        `No redemption of this municipality has the transfer id ${transferId}`,
      );
    }
    if (result.status === 'idempotency-conflict') {
      throw new ApiError('idempotency-conflict', 'The same Idempotency-Key came with another request body');
    }
    const replayed = result.status === 'replay';
    const answer = result.status === 'replay' ? result.first : result;
    if (replayed) c.header('Idempotent-Replayed', 'true');
    if (answer.status === 'already-reversed') {
      throw new ApiError(
        'redemption-already-reversed',
        `Redemption ${transferId} has been reversed already; its voucher may have been redeemed again since`,
        { extensions: { transferId } },
      );
    }
    if (answer.status !== 'ok') {
      throw new ApiError(
        'redemption-paid-out',
        `Redemption ${transferId} was paid out in payout batch ${answer.body.payoutBatchId}: the provider has the money. Settle it with the provider; the ledger keeps what was paid`,
        { extensions: { ...answer.body } },
      );
    }
    const reversal = answer.body;
    // A replay is logged as well: it may be the only answer to a write whose first answer was lost.
    await auditTenantChange(c, {
      action: 'redemption.reversed',
      objectType: 'transfer',
      objectId: reversal.transferId,
    });
    return c.json(reversal, 201);
  });
