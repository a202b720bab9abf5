import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { DEFAULT_VOUCHER_POLICY, voucherBatch } from '@wijkteams/ledger';
import { dutchDay } from '@wijkteams/time';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireAnyScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { preferredType } from '../accept.ts';
import { registerRoute } from '../register.ts';
import { TenantParam, tenantRouteProblems } from '../schemas.ts';
import { BatchIdSchema, VOUCHER_EXAMPLE, VoucherBatchViewSchema } from './schemas.ts';
import { ledgerContext } from './shared.ts';

const ANSWERS = ['application/json', 'application/pdf'] as const;

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/voucher-batches/{batchId}',
  operationId: 'getVoucherBatch',
  tags: ['Vouchers'],
  summary: 'A batch of vouchers as it is now, or as an A4 PDF to print and cut (`Accept: application/pdf`)',
  description: [
    'JSON: the batch and each of its vouchers with its state now (past its date: `expired`).',
    '',
    '`Accept: application/pdf`: the vouchers that can still be used (`issued`), ten to an A4 page in blocks of 95 × 55 mm between cut lines, each with the municipality, the value (`€ 5,00`, one hour of help), the Dutch date it is valid until, the code with its check symbol and a QR code of that code (`K7QF-3M9X-T2HD-7`), which redemption takes as it is. In Dutch.',
    '',
    '`vouchers:read`, or `vouchers:issue`: a desk that issues vouchers prints what it issued without being able to read every account. A key that acts as a provider is refused: a provider is handed the codes it redeems.',
  ].join('\n'),
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireAnyScope('vouchers:read', 'vouchers:issue')] as const,
  request: {
    params: z.object({
      tenant: TenantParam,
      batchId: BatchIdSchema.openapi({
        param: { name: 'batchId', in: 'path' },
        example: VOUCHER_EXAMPLE.batchId,
      }),
    }),
  },
  responses: {
    200: {
      description: 'The batch (JSON), or its vouchers to print (PDF)',
      headers: z.object({
        'Cache-Control': z.literal('private, no-store'),
        'Content-Disposition': z
          .string()
          .optional()
          .openapi({
            example: `inline; filename="dienstencheques-${VOUCHER_EXAMPLE.batchId}.pdf"`,
            description: 'PDF only',
          }),
      }),
      content: {
        'application/json': { schema: VoucherBatchViewSchema },
        'application/pdf': {
          schema: z.string().openapi({
            format: 'binary',
            description: 'An A4 PDF, ten vouchers a page',
            example: '%PDF-1.7 … (binary)',
          }),
        },
      },
    },
    ...tenantRouteProblems('not-found', 'not-acceptable', 'not-configured'),
  },
});

export const registerGetVoucherBatch = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const answer = preferredType(c.req.header('Accept'), ANSWERS);
    if (!answer) {
      throw new ApiError('not-acceptable', `A voucher batch is answered as ${ANSWERS.join(' or ')}`);
    }
    const actor = c.get('actor');
    if (actor.type === 'key' && actor.providerId) {
      throw new ApiError(
        'forbidden',
        'A provider’s key cannot read voucher batches: the resident hands over the code',
      );
    }
    const { batchId } = c.req.valid('param');
    const batch = await voucherBatch(ledgerContext(c), batchId);
    if (!batch) throw new ApiError('not-found', 'This municipality has no voucher batch with this id');
    c.header('Cache-Control', 'private, no-store');
    c.header('Vary', 'Accept');
    if (answer === 'application/json') return c.json(batch, 200);
    const { voucherSheetPdf } = await c.get('runtime').onDemand();
    const pdf = await voucherSheetPdf(
      {
        municipality: c.get('tenant').name,
        batchId,
        centsPerHour: DEFAULT_VOUCHER_POLICY.faceValueCents,
        vouchers: batch.vouchers.filter((v) => v.status === 'issued'),
      },
      dutchDay,
    );
    return c.body(pdf, 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `inline; filename="dienstencheques-${batchId}.pdf"`,
    });
  });
