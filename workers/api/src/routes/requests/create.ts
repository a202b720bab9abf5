import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { hasScope } from '@wijkteams/access';
import { IDEMPOTENCY_WINDOW_HOURS, submitRequest } from '@wijkteams/intake';
import { listTenants } from '@wijkteams/tenants';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { jsonBodyOf, registerRoute } from '../register.ts';
import { EXAMPLE, jsonBody, locationHeader, publicTenantProblems, TenantPathSchema } from '../schemas.ts';
import { intakeContext, invalid } from './context.ts';
import { IntakeBodySchema, REQUEST_EXAMPLE, StatusSchema } from './schemas.ts';

/** Anyone may call without a key, so their keys share one space: only a long, random key is safe there. */
const ANONYMOUS_KEY_MIN_LENGTH = 16;

const route = createRoute({
  method: 'post',
  path: '/v1/{tenant}/requests',
  operationId: 'createRequest',
  tags: ['Requests'],
  summary: 'Ask for help: routed to the team that serves the postcode',
  description:
    'Public for residents, or with a `requests:write` key for a partner submitting on a resident’s behalf. Unknown fields (a `bsn`, say) are a 400; a postcode of another municipality is a 422 that names it (`servedBy`). The `statusToken` is shown once: with it, `GET …/status` shows status and dates. ' +
    `An optional \`Idempotency-Key\` (recommended for partners) makes a retry safe: for ${IDEMPOTENCY_WINDOW_HOURS} hours the same key and body give the first answer again (the same reference and status token), another body is a 409. Keys are kept per API key; without a key they must be at least ${ANONYMOUS_KEY_MIN_LENGTH} random characters.`,
  middleware: [resolveTenant] as const,
  request: {
    params: TenantPathSchema,
    headers: z.object({
      'idempotency-key': z
        .string()
        .regex(/^[\x21-\x7e]{8,128}$/, '8 to 128 visible ASCII characters, e.g. a UUID')
        .optional()
        .openapi({ example: '0b9f6c4e-1d2a-4c1e-9a55-3f7d2f0e8a11' }),
    }),
    body: jsonBody(IntakeBodySchema),
  },
  responses: {
    201: {
      description: 'Received',
      headers: locationHeader(`/v1/${EXAMPLE.tenant}/requests/${REQUEST_EXAMPLE.reference}`),
      content: {
        'application/json': {
          schema: z
            .object({
              reference: z.string().openapi({ example: 'GRO-2026-000123' }),
              status: StatusSchema,
              team: z.object({ id: z.string(), name: z.string() }),
              statusToken: z.string().openapi({
                description:
                  'Shown once: for GET …/status; the resident’s status link is <base>/status/{tenant}/{reference}#<statusToken>',
              }),
              routedToDefault: z.boolean(),
              slaDueAt: z.string().datetime(),
            })
            .openapi('HelpRequestReceipt', {
              example: {
                reference: REQUEST_EXAMPLE.reference,
                status: 'received',
                team: { id: EXAMPLE.teamId, name: 'WIJ Centrum' },
                statusToken: REQUEST_EXAMPLE.statusToken,
                routedToDefault: false,
                slaDueAt: REQUEST_EXAMPLE.slaDueAt,
              },
            }),
        },
      },
    },
    ...publicTenantProblems('idempotency-conflict', 'address-not-served'),
  },
});

export const registerCreateRequest = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(
    app,
    route,
    async (c) => {
      const actor = c.get('actor');
      if (actor.type === 'key' && !hasScope(actor, 'requests:write')) {
        throw new ApiError('forbidden', 'Submitting for a resident needs a key with requests:write');
      }
      const submitter =
        actor.type === 'anonymous'
          ? ({ kind: 'resident' } as const)
          : ({ kind: 'partner', keyId: actor.type === 'key' ? actor.keyId : 'platform-admin' } as const);
      const idempotencyKey = c.req.valid('header')['idempotency-key'];
      if (
        idempotencyKey !== undefined &&
        actor.type === 'anonymous' &&
        idempotencyKey.length < ANONYMOUS_KEY_MIN_LENGTH
      ) {
        throw new ApiError(
          'validation-failed',
          'Without an API key, an Idempotency-Key must be long and random',
          {
            invalidParams: [
              {
                name: 'header.idempotency-key',
                reason: `At least ${ANONYMOUS_KEY_MIN_LENGTH} random characters (a UUID) when sent without an API key`,
              },
            ],
          },
        );
      }
      const runtime = c.get('runtime');
      const tenant = c.get('tenant');
      const coverage = await runtime.coverage.index(tenant.id, c.get('db'));
      // The intake domain checks the whole body, with the tenant's categories, and names every problem.
      const body = await jsonBodyOf(c, true);
      const outcome = await submitRequest(await intakeContext(c), body, submitter, coverage, {
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      });
      if (!outcome.ok) {
        switch (outcome.reason) {
          case 'invalid-input':
            throw invalid(outcome.invalidParams);
          case 'idempotency-conflict':
            throw new ApiError('idempotency-conflict', 'This Idempotency-Key was used with another body');
          case 'outside-municipality': {
            const { municipality } = outcome;
            const serving =
              municipality &&
              (await runtime.tenantCache.byMunicipality(municipality.code, () =>
                listTenants(c.get('control')()),
              ));
            throw new ApiError(
              'address-not-served',
              municipality
                ? `${outcome.postcode} lies in ${municipality.name}, not in ${tenant.name}: ask ${municipality.name} for help`
                : `${outcome.postcode} is not a postcode area of ${tenant.name}`,
              {
                invalidParams: [{ name: 'body.postcode', reason: `Not served by ${tenant.name}` }],
                extensions: {
                  servedBy: municipality
                    ? {
                        municipality: { code: municipality.code, name: municipality.name },
                        tenant:
                          serving?.status === 'active' ? { slug: serving.slug, name: serving.name } : null,
                      }
                    : null,
                },
              },
            );
          }
          default:
            throw new ApiError('tenant-unavailable', 'This municipality has no team that takes requests yet');
        }
      }
      const { ok: _, ...receipt } = outcome;
      c.header('Location', `/v1/${c.get('tenant').slug}/requests/${receipt.reference}`);
      return c.json(receipt, 201);
    },
    { bodyCheckedByHandler: true },
  );
