import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { MAX_BATCH } from '@wijkteams/ledger';
import type { AppEnv } from '../../context.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { jsonBody, TenantPathSchema, tenantRouteProblems } from '../schemas.ts';
import {
  CentsSchema,
  IdempotencyHeaders,
  idempotencyKeyOf,
  LedgerReference,
  ledgerAnswer,
  writeLedger,
} from './shared.ts';

const VoucherSchema = z
  .object({
    code: z.string().openapi({ example: 'K7QF-3M9X-T2HD-8' }),
    faceValueCents: z.number().int().openapi({ example: 500 }),
    validUntil: z.string().datetime(),
    status: z.enum(['issued', 'redeemed', 'voided', 'expired']),
  })
  .openapi('IssuedVoucher');

const IssuedBatchSchema = z
  .object({ accountId: z.string(), vouchers: z.array(VoucherSchema) })
  .openapi('IssuedBatch');

const route = createRoute({
  method: 'post',
  path: '/v1/{tenant}/voucher-batches',
  operationId: 'issueVouchers',
  tags: ['Vouchers'],
  summary: 'Issue dienstencheques to a resident account (5 euro an hour by default)',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('vouchers:issue')] as const,
  request: {
    params: TenantPathSchema,
    headers: IdempotencyHeaders,
    body: jsonBody(
      z
        .strictObject({
          holder: LedgerReference.openapi({ example: 'res-8f3a2c' }),
          count: z.number().int().min(1).max(MAX_BATCH),
          faceValueCents: CentsSchema.optional(),
          validUntil: z.string().datetime({ offset: true }).optional(),
        })
        .openapi('VoucherBatch'),
    ),
  },
  responses: {
    201: {
      description: 'Issued',
      content: {
        'application/json': {
          schema: z
            .object({ accountId: z.string(), vouchers: z.array(VoucherSchema) })
            .openapi('IssuedBatch'),
        },
      },
    },
    ...tenantRouteProblems('idempotency-conflict'),
  },
});

export const registerIssueVouchers = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const body = c.req.valid('json');
    const result = await writeLedger(c, 'issue', {
      holder: body.holder,
      count: body.count,
      ...(body.faceValueCents === undefined ? {} : { faceValueCents: body.faceValueCents }),
      ...(body.validUntil === undefined ? {} : { validUntil: new Date(body.validUntil) }),
      idempotencyKey: idempotencyKeyOf(c, c.req.valid('header')['idempotency-key']),
    });
    return c.json(ledgerAnswer(c, result) as z.infer<typeof IssuedBatchSchema>, 201);
  });
