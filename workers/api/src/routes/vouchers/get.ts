import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { parseVoucherCode, voucher } from '@wijkteams/ledger';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { TenantParam, tenantRouteProblems } from '../schemas.ts';
import { VoucherSchema } from './schemas.ts';
import { invalidCode, ledgerContext, VoucherCodeParam } from './shared.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/vouchers/{code}',
  operationId: 'getVoucher',
  tags: ['Vouchers'],
  summary: 'A voucher and its state',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('vouchers:read')] as const,
  request: { params: z.object({ tenant: TenantParam, code: VoucherCodeParam }) },
  responses: {
    200: {
      description: 'The voucher',
      content: { 'application/json': { schema: VoucherSchema } },
    },
    ...tenantRouteProblems('voucher-not-found'),
  },
});

export const registerGetVoucher = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const parsed = parseVoucherCode(c.req.valid('param').code);
    if (!parsed.ok) throw invalidCode(parsed.reason);
    const found = await voucher(ledgerContext(c), parsed.code);
    if (!found) throw new ApiError('voucher-not-found', 'This municipality has no voucher with this code');
    return c.json(found, 200);
  });
