import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { MAX_BATCH } from '@wijkteams/ledger';
import type { AppEnv } from '../../context.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { EXAMPLE, jsonBody, TenantPathSchema, tenantRouteProblems } from '../schemas.ts';
import { IssuedBatchSchema, VOUCHER_EXAMPLE } from './schemas.ts';
import {
  CentsSchema,
  IdempotencyHeaders,
  idempotencyKeyOf,
  LedgerReference,
  ledgerAnswer,
  writeLedger,
} from './shared.ts';

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
          holder: LedgerReference.openapi({ example: VOUCHER_EXAMPLE.holder }),
          count: z.number().int().min(1).max(MAX_BATCH),
          faceValueCents: CentsSchema.optional().openapi({ description: 'Default 500: one hour' }),
          validUntil: z
            .string()
            .datetime({ offset: true })
            .optional()
            .openapi({ description: 'In the future; default 12 months after issue' }),
        })
        .openapi('VoucherBatch', {
          example: {
            holder: VOUCHER_EXAMPLE.holder,
            count: 2,
            faceValueCents: 500,
            validUntil: EXAMPLE.future,
          },
        }),
    ),
  },
  responses: {
    201: {
      description: 'Issued',
      content: {
        'application/json': {
          schema: IssuedBatchSchema,
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
    return c.json(ledgerAnswer(c, result), 201);
  });
