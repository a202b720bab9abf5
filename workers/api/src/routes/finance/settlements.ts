import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { listProviders } from '@wijkteams/intake';
import { settlementForDays } from '@wijkteams/ledger';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { intakeContext } from '../requests/context.ts';
import { TenantPathSchema, tenantRouteProblems } from '../schemas.ts';
import { ledgerContext } from '../vouchers/shared.ts';
import { Day, SettlementSchema } from './schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/settlements',
  operationId: 'getSettlement',
  tags: ['Finance'],
  summary: 'Per provider: the vouchers redeemed in a period, their value, what was paid out and what is owed',
  description:
    'Covers the redemptions from `from` up to and including `to`, Dutch calendar days. `redeemedCents` is the value of the period’s redemptions minus those reversed since; a redemption is paid out once a payout batch came after it. Summed over all periods, a provider’s `owedCents` is what the next payout batch pays it.',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('reports:read')] as const,
  request: {
    params: TenantPathSchema,
    query: z.object({
      from: Day.openapi({ example: '2026-11-01' }),
      to: Day.openapi({ example: '2026-11-30' }),
    }),
  },
  responses: {
    200: { description: 'The settlement', content: { 'application/json': { schema: SettlementSchema } } },
    ...tenantRouteProblems(),
  },
});

export const registerSettlement = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const { from, to } = c.req.valid('query');
    if (to < from) {
      throw new ApiError('validation-failed', 'The period ends before it starts', {
        invalidParams: [{ name: 'query.to', reason: 'Not before from' }],
      });
    }
    const [settlement, providers] = await Promise.all([
      settlementForDays(ledgerContext(c), { from, to }),
      listProviders(await intakeContext(c)),
    ]);
    const names = new Map(providers.map((p) => [p.id, p.name]));
    return c.json(
      {
        from,
        to,
        providers: settlement.providers.map((p) => ({
          providerId: p.providerId,
          name: names.get(p.providerId) ?? p.providerId,
          vouchers: p.vouchers,
          redeemedCents: p.redeemedCents,
          paidOutCents: p.paidOutCents,
          owedCents: p.owedCents,
          reversed: p.reversed,
        })),
        total: settlement.total,
      },
      200,
    );
  });
