import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { hasScope } from '@wijkteams/access';
import { submitRequest } from '@wijkteams/intake';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { jsonBodyOf, registerRoute } from '../register.ts';
import { jsonBody, problemResponses, TenantPathSchema } from '../schemas.ts';
import { intakeContext, invalid } from './context.ts';
import { IntakeBodySchema, StatusSchema } from './schemas.ts';

const route = createRoute({
  method: 'post',
  path: '/v1/{tenant}/requests',
  operationId: 'createRequest',
  tags: ['Requests'],
  summary: 'Ask for help: routed to the team that serves the postcode',
  description:
    'Public for residents, or with a `requests:write` key for a partner submitting on a resident’s behalf. Unknown fields (a `bsn`, say) are a 400. The `statusToken` is shown once: with it, `GET …/status` shows status and dates.',
  middleware: [resolveTenant] as const,
  request: { params: TenantPathSchema, body: jsonBody(IntakeBodySchema) },
  responses: {
    201: {
      description: 'Received',
      content: {
        'application/json': {
          schema: z
            .object({
              reference: z.string().openapi({ example: 'GRO-2026-000123' }),
              status: StatusSchema,
              team: z.object({ id: z.string(), name: z.string() }),
              statusToken: z.string(),
              routedToDefault: z.boolean(),
              slaDueAt: z.string().datetime(),
            })
            .openapi('HelpRequestReceipt'),
        },
      },
    },
    ...problemResponses(
      'forbidden',
      'tenant-not-found',
      'tenant-suspended',
      'payload-too-large',
      'unsupported-media-type',
    ),
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
      const runtime = c.get('runtime');
      const coverage = await runtime.coverage.index(c.get('tenant').id, c.get('db'));
      // The intake domain checks the whole body, with the tenant's categories, and names every problem.
      const body = await jsonBodyOf(c, true);
      const outcome = await submitRequest(await intakeContext(c), body, submitter, coverage);
      if (!outcome.ok) {
        if (outcome.reason === 'invalid-input') throw invalid(outcome.invalidParams);
        throw new ApiError('tenant-unavailable', 'This municipality has no team that takes requests yet');
      }
      const { ok: _, ...receipt } = outcome;
      c.header('Location', `/v1/${c.get('tenant').slug}/requests/${receipt.reference}`);
      return c.json(receipt, 201);
    },
    { bodyCheckedByHandler: true },
  );
