import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { decryptIban, type ProviderPayee, providerNames, providerPayees } from '@wijkteams/intake';
import {
  owedProviders,
  payoutBatch,
  payoutBatches,
  requestHash,
  type StoredPayoutBatch,
} from '@wijkteams/ledger';
import { addCalendarDays, addWorkingDaysToDay, dutchDay } from '@wijkteams/time';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireAnyScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { preferredType } from '../accept.ts';
import { auditTenantChange } from '../audit.ts';
import { registerRoute } from '../register.ts';
import { intakeContext, invalid } from '../requests/context.ts';
import { jsonBody, TenantParam, TenantPathSchema, tenantRouteProblems } from '../schemas.ts';
import { IdempotencyHeaders, idempotencyKeyOf, ledgerContext, writeLedger } from '../vouchers/shared.ts';
import {
  FINANCE_EXAMPLE,
  NewPayoutBatchSchema,
  PayoutBatchListSchema,
  PayoutBatchSchema,
  PayoutRequestSchema,
} from './schemas.ts';

const SCOPES = requireAnyScope('tenant:admin', 'payouts:manage');
const XML = 'application/xml';

const BatchPath = z.object({
  tenant: TenantParam,
  batchId: z
    .string()
    .regex(/^pay_[0-9a-z]{26}$/, 'Not a payout batch id')
    .openapi({ param: { name: 'batchId', in: 'path' }, example: FINANCE_EXAMPLE.payoutBatchId }),
});

const create = createRoute({
  method: 'post',
  path: '/v1/{tenant}/payout-batches',
  operationId: 'createPayoutBatch',
  tags: ['Finance'],
  summary: 'Pay providers what they are owed: one payout per provider, once per Idempotency-Key',
  description:
    'Moves each provider’s whole voucher balance (what it is owed) to the payout account, on the same hash chain as the redemptions, in one write; the same key and body again replay the batch and pay nothing more. Only providers with an IBAN are paid; those owed without one are listed in `unpaid`. Needs `settings.payoutAccount` (the account that pays). The bank file is `GET …/payout-batches/{batchId}` with `Accept: application/xml`.',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, SCOPES] as const,
  request: { params: TenantPathSchema, headers: IdempotencyHeaders, body: jsonBody(PayoutRequestSchema) },
  responses: {
    201: { description: 'Paid out', content: { 'application/json': { schema: NewPayoutBatchSchema } } },
    ...tenantRouteProblems('nothing-owed', 'payout-account-missing', 'idempotency-conflict'),
  },
});

const list = createRoute({
  method: 'get',
  path: '/v1/{tenant}/payout-batches',
  operationId: 'listPayoutBatches',
  tags: ['Finance'],
  summary: 'The payout batches, the most recent first (at most 100)',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, SCOPES] as const,
  request: { params: TenantPathSchema },
  responses: {
    200: {
      description: 'Payout batches',
      content: { 'application/json': { schema: PayoutBatchListSchema } },
    },
    ...tenantRouteProblems(),
  },
});

const SEPA_EXAMPLE = `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09" …><CstmrCdtTrfInitn><GrpHdr><MsgId>pay-01jdq4a2c4e6g8j0l2n4q6s8uw</MsgId><CreDtTm>2026-03-02T09:15:00</CreDtTm><NbOfTxs>2</NbOfTxs><CtrlSum>110.00</CtrlSum>…</GrpHdr><PmtInf>…<ReqdExctnDt><Dt>2026-12-04</Dt></ReqdExctnDt><Dbtr><Nm>Gemeente Waalre</Nm></Dbtr>…<CdtTrfTxInf><PmtId><InstrId>…</InstrId><EndToEndId>tr-01jdq4b2c4e6g8j0l2n4q6s8uw</EndToEndId></PmtId><Amt><InstdAmt Ccy="EUR">60.00</InstdAmt></Amt><Cdtr><Nm>Buurthulp Waalre</Nm></Cdtr><CdtrAcct><Id><IBAN>NL44RABO0123456789</IBAN></Id></CdtrAcct>…</CdtTrfTxInf>…</PmtInf></CstmrCdtTrfInitn></Document>`;

const get = createRoute({
  method: 'get',
  path: '/v1/{tenant}/payout-batches/{batchId}',
  operationId: 'getPayoutBatch',
  tags: ['Finance'],
  summary: 'One payout batch; with `Accept: application/xml` its SEPA credit transfer file (pain.001.001.09)',
  description:
    'The file is for the municipality’s bank: one payment per provider from `settings.payoutAccount`, on the batch’s execution date, each with the provider’s name and IBAN as they were when it was paid; `NbOfTxs` and `CtrlSum` are the batch’s count and total. Names are written in SEPA’s Latin character set. Identifiers are the batch and transfer ids with `-` for `_`.',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, SCOPES] as const,
  request: { params: BatchPath },
  responses: {
    200: {
      description: 'The batch, or its bank file',
      content: {
        'application/json': { schema: PayoutBatchSchema },
        [XML]: { schema: z.string().openapi({ example: SEPA_EXAMPLE }) },
      },
    },
    ...tenantRouteProblems('not-found', 'payout-account-missing', 'not-acceptable'),
  },
});

/** The municipality's own account, which every payout is paid from. */
function payoutAccountOf(c: Context<AppEnv>) {
  const account = c.get('tenant').settings.payoutAccount;
  if (!account) {
    throw new ApiError(
      'payout-account-missing',
      'Set the account payouts are paid from first: PATCH /v1/{tenant}/settings with payoutAccount { name, iban }',
    );
  }
  return account;
}

/** Today or later, Dutch time; by default the next working day. */
function executionDateOf(requested: string | undefined, calendar: Parameters<typeof addWorkingDaysToDay>[2]) {
  const today = dutchDay(new Date());
  if (requested === undefined) return addWorkingDaysToDay(today, 1, calendar);
  if (requested < today) {
    throw invalid([{ name: 'executionDate', reason: `Not before today (${today}, Dutch time)` }]);
  }
  if (requested > addCalendarDays(today, 365)) {
    throw invalid([{ name: 'executionDate', reason: 'At most a year ahead' }]);
  }
  return requested;
}

/** Who is paid: every provider with an IBAN, or the ones asked for (each must exist and have one). */
function payeesFor(payable: ProviderPayee[], asked: string[] | undefined): ProviderPayee[] {
  if (!asked) return payable;
  const withIban = new Map(payable.map((p) => [p.providerId, p]));
  const problems = asked.flatMap((id, i) =>
    withIban.has(id)
      ? []
      : [
          {
            name: `providers.${i}`,
            reason: 'Not a provider of this municipality with an IBAN (set it on the provider)',
          },
        ],
  );
  if (new Set(asked).size !== asked.length)
    problems.push({ name: 'providers', reason: 'Each provider once' });
  if (problems.length > 0) throw invalid(problems);
  return asked.map((id) => withIban.get(id) as ProviderPayee);
}

/** A batch as the API shows it: with each IBAN decrypted. */
async function presentBatch(c: Context<AppEnv>, batch: StoredPayoutBatch) {
  const { encryptionKey } = await intakeContext(c);
  const payouts = await Promise.all(
    batch.payouts.map(async ({ ibanCt, ...payout }) => ({
      ...payout,
      iban: await decryptIban({ encryptionKey }, payout.providerId, ibanCt),
    })),
  );
  return { ...batch, payouts };
}

/** Providers still owed after the batch because they have no IBAN, with their names. */
async function unpaidOf(c: Context<AppEnv>, payable: ProviderPayee[]) {
  const withIban = new Set(payable.map((p) => p.providerId));
  const [owed, names] = await Promise.all([
    owedProviders(ledgerContext(c)),
    providerNames(await intakeContext(c)),
  ]);
  return owed
    .filter((o) => !withIban.has(o.providerId))
    .map((o) => ({ ...o, name: names.get(o.providerId) ?? o.providerId, reason: 'no-iban' as const }));
}

export function registerPayoutRoutes(app: OpenAPIHono<AppEnv>) {
  registerRoute(app, create, async (c) => {
    payoutAccountOf(c);
    const body = c.req.valid('json');
    const executionDate = executionDateOf(body.executionDate, c.get('tenant').settings.slaCalendar);
    const payable = await providerPayees(await intakeContext(c));
    const payees = payeesFor(payable, body.providers);
    if (payees.length === 0)
      throw new ApiError('nothing-owed', 'No provider of this municipality has an IBAN yet');
    const result = await writeLedger(c, 'payout', {
      payees,
      executionDate,
      idempotencyKey: idempotencyKeyOf(c, c.req.valid('header')['idempotency-key']),
      // The request as sent: a retry replays the batch even if "everyone" or "tomorrow" has moved since.
      requestHash: requestHash({
        executionDate: body.executionDate ?? null,
        providers: body.providers ?? null,
      }),
    });
    if (result.status === 'nothing-owed') {
      throw new ApiError('nothing-owed', 'None of these providers is owed anything: there is nothing to pay');
    }
    if (result.status === 'idempotency-conflict') {
      throw new ApiError('idempotency-conflict', 'The same Idempotency-Key came with another request body');
    }
    const answer = result.status === 'replay' ? result.first : result;
    if (result.status === 'replay') c.header('Idempotent-Replayed', 'true');
    // A replay is logged as well: it may be the only answer to a write whose first answer was lost.
    await auditTenantChange(c, {
      action: 'payout-batch.created',
      objectType: 'payout-batch',
      objectId: answer.body.batchId,
    });
    const stored = await payoutBatch(ledgerContext(c), answer.body.batchId);
    if (!stored) throw new Error(`Payout batch ${answer.body.batchId} was answered but not stored`);
    return c.json({ ...(await presentBatch(c, stored)), unpaid: await unpaidOf(c, payable) }, 201);
  });

  registerRoute(app, list, async (c) => c.json({ batches: await payoutBatches(ledgerContext(c)) }, 200));

  registerRoute(app, get, async (c) => {
    const answer = preferredType(c.req.header('Accept'), ['application/json', XML, 'text/xml']);
    if (answer === null) {
      throw new ApiError(
        'not-acceptable',
        'This route answers application/json, or application/xml for the bank file',
      );
    }
    const wantsXml = answer !== 'application/json';
    const stored = await payoutBatch(ledgerContext(c), c.req.valid('param').batchId);
    if (!stored) throw new ApiError('not-found', 'This municipality has no such payout batch');
    const batch = await presentBatch(c, stored);
    c.header('Cache-Control', 'private, no-store');
    c.header('Vary', 'Accept');
    if (!wantsXml) return c.json(batch, 200);
    const debtor = payoutAccountOf(c);
    const sepaId = (id: string) => id.replace(/_/g, '-');
    const { sepaCreditTransfer, SEPA_FORMAT } = await c.get('runtime').onDemand();
    const xml = sepaCreditTransfer({
      messageId: sepaId(batch.batchId),
      createdAt: new Date(batch.createdAt),
      executionDate: batch.executionDate,
      debtor,
      payments: batch.payouts.map((p) => ({
        name: p.name,
        iban: p.iban,
        amountCents: p.amountCents,
        endToEndId: sepaId(p.transferId),
        remittance: `Dienstencheques ${c.get('tenant').name}, uitbetaling ${sepaId(batch.batchId)}`,
      })),
    });
    return c.body(xml, 200, {
      'Content-Type': `${XML}; charset=utf-8`,
      'Content-Disposition': `attachment; filename="${SEPA_FORMAT}-${batch.batchId}.xml"`,
    });
  });
}
