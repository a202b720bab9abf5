import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { dutchMoment } from '@wijkteams/events';
import { activeProvider } from '@wijkteams/intake';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { readWithRetries } from '../../problem-response.ts';
import { registerRoute } from '../register.ts';
import { invalid } from '../requests/context.ts';
import { jsonBody, TenantParam, tenantRouteProblems } from '../schemas.ts';
import { RedemptionReceiptSchema, VOUCHER_EXAMPLE } from './schemas.ts';
import {
  ExternalReference,
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
    'The same Idempotency-Key with the same body replays the first answer (status and body); with another body it is a 409. A voucher already redeemed, voided or expired is a 409 whose problem type says which (for one already redeemed: when, and by which provider where the caller may know). `provider` is a registered, active provider (`GET /providers`); with a key that acts as a provider it may be left out, and naming another one is a 403.',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('vouchers:redeem')] as const,
  request: {
    params: z.object({ tenant: TenantParam, code: VoucherCodeParam }),
    headers: IdempotencyHeaders,
    body: jsonBody(
      z
        .strictObject({
          provider: LedgerReference.optional().openapi({
            description: 'The registered provider that is paid; optional with a provider’s own key',
            example: VOUCHER_EXAMPLE.provider,
          }),
          requestReference: ExternalReference.optional(),
        })
        .openapi('Redemption', {
          example: { provider: VOUCHER_EXAMPLE.provider, requestReference: 'WAA-2026-000042' },
        }),
    ),
  },
  responses: {
    201: {
      description: 'Redeemed',
      content: {
        'application/json': { schema: RedemptionReceiptSchema },
      },
    },
    ...tenantRouteProblems(...SETTLE_PROBLEMS, 'provider-inactive'),
  },
});

export const registerRedeemVoucher = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const { code } = c.req.valid('param');
    const body = c.req.valid('json');
    const provider = await payee(c, body.provider);
    const result = await writeLedger(c, 'redeem', {
      code,
      provider,
      ...(body.requestReference === undefined ? {} : { requestReference: body.requestReference }),
      idempotencyKey: idempotencyKeyOf(c, c.req.valid('header')['idempotency-key']),
    });
    if (result.status === 'invalid-code') throw invalidCode(result.reason);
    const answer = result.status === 'replay' ? result.first : result;
    if (answer.status === 'already-redeemed') throw await alreadyRedeemed(c, answer.body.code, provider);
    return c.json(ledgerAnswer(c, result), 201);
  });

/**
 * Who is paid: a registered, active provider of the municipality. A key that acts as a provider
 * redeems to its own account only.
 */
export async function payee(c: Context<AppEnv>, named: string | undefined): Promise<string> {
  const actor = c.get('actor');
  const bound = actor.type === 'key' ? (actor.providerId ?? null) : null;
  if (bound && named !== undefined && named !== bound)
    throw new ApiError('forbidden', 'A provider’s key redeems to its own account only');
  const id = bound ?? named;
  if (!id) throw invalid([{ name: 'provider', reason: 'Name the registered provider that is paid' }]);
  const registered = await c
    .get('runtime')
    .providerCache.get(c.get('tenant').id, id, (providerId) =>
      readWithRetries(() => activeProvider({ db: c.get('db')().$client }, providerId)),
    );
  if (!registered)
    throw invalid([
      { name: 'provider', reason: 'No provider of this municipality has this id; GET /providers lists them' },
    ]);
  if (!registered.active)
    throw new ApiError('provider-inactive', `${registered.name} is no longer active and cannot be paid`);
  return id;
}

/** The refusal of a voucher redeemed before, in words a provider understands. */
async function alreadyRedeemed(c: Context<AppEnv>, code: string, caller: string): Promise<ApiError> {
  const { rows } = await c
    .get('db')()
    .$client.execute({
      sql: `SELECT t.created_at, a.reference AS provider, p.name FROM ledger_transfers t
          JOIN ledger_accounts a ON a.id = t.credit_account_id
          LEFT JOIN triage_providers p ON p.id = a.reference
          WHERE t.reference = ? AND t.code = 'redeem'`,
      args: [code],
    });
  const row = rows[0];
  if (!row) return new ApiError('voucher-already-redeemed', `Voucher ${code} has already been redeemed`);
  const when = dutchMoment(String(row.created_at), 'nl');
  const actor = c.get('actor');
  // A provider's own key learns whether it was itself; others who may redeem for anyone see the name.
  const mayKnow = !(actor.type === 'key' && actor.providerId) || row.provider === caller;
  const by =
    row.provider === caller
      ? 'by you'
      : mayKnow
        ? `by ${String(row.name ?? row.provider)}`
        : 'by another provider';
  return new ApiError(
    'voucher-already-redeemed',
    `Voucher ${code} was already redeemed on ${when} (Dutch time), ${by}`,
    {
      extensions: {
        code,
        redeemedAt: String(row.created_at),
        ...(mayKnow ? { provider: String(row.provider) } : {}),
      },
    },
  );
}
