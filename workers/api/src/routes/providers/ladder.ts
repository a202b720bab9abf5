import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { textLine } from '@wijkteams/db';
import { DEFAULT_LADDER, getLadder, setLadder } from '@wijkteams/intake';
import type { AppEnv } from '../../context.ts';
import { requireAnyScope, requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { auditTenantChange } from '../audit.ts';
import { registerRoute } from '../register.ts';
import { intakeContext, invalid } from '../requests/context.ts';
import { jsonBody, TenantPathSchema, tenantRouteProblems } from '../schemas.ts';

const TierSchema = z
  .object({
    slug: z.string().openapi({ example: 'volunteers' }),
    name: z.object({ nl: z.string(), en: z.string() }),
  })
  .openapi('TriageTier', {
    example: { slug: 'volunteers', name: { nl: 'Vrijwilligers', en: 'Volunteers' } },
  });
const LADDER_EXAMPLE = { tiers: DEFAULT_LADDER.map((tier) => ({ ...tier, name: { ...tier.name } })) };
const LadderSchema = z
  .object({ tiers: z.array(TierSchema) })
  .openapi('TriageLadder', { example: LADDER_EXAMPLE });

/** A tier as the ladder takes it; the same rules as the intake domain checks. */
const TierInput = z
  .strictObject({
    slug: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'Lower-case letters, digits and hyphens'),
    name: z.strictObject({ nl: textLine(100), en: textLine(100) }),
  })
  .openapi('TriageTierInput', {
    example: { slug: 'volunteers', name: { nl: 'Vrijwilligers', en: 'Volunteers' } },
  });

const get = createRoute({
  method: 'get',
  path: '/v1/{tenant}/triage-ladder',
  operationId: 'getTriageLadder',
  tags: ['Requests'],
  summary:
    'The ordered tiers a request goes down: by default volunteers, woonservice, private provider, company',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireAnyScope('requests:triage', 'tenant:admin')] as const,
  request: { params: TenantPathSchema },
  responses: {
    200: { description: 'The ladder', content: { 'application/json': { schema: LadderSchema } } },
    ...tenantRouteProblems(),
  },
});

const put = createRoute({
  method: 'put',
  path: '/v1/{tenant}/triage-ladder',
  operationId: 'setTriageLadder',
  tags: ['Requests'],
  summary: 'Replace the tenant’s triage ladder',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: {
    params: TenantPathSchema,
    body: jsonBody(
      z.strictObject({ tiers: z.array(TierInput).min(1).max(10) }).openapi('TriageLadderInput', {
        description: 'The tiers in order, cheapest and closest first; each slug once.',
        example: LADDER_EXAMPLE,
      }),
    ),
  },
  responses: {
    200: {
      description: 'The ladder as it now is',
      content: { 'application/json': { schema: LadderSchema } },
    },
    ...tenantRouteProblems(),
  },
});

export function registerLadderRoutes(app: OpenAPIHono<AppEnv>) {
  registerRoute(app, get, async (c) => c.json({ tiers: await getLadder(await intakeContext(c)) }, 200));
  registerRoute(app, put, async (c) => {
    const outcome = await setLadder(await intakeContext(c), c.req.valid('json').tiers);
    if (!outcome.ok) throw invalid(outcome.invalidParams, 'body.tiers');
    await auditTenantChange(c, {
      action: 'triage-ladder.replaced',
      objectType: 'triage-ladder',
      objectId: 'ladder',
    });
    return c.json({ tiers: outcome.ladder }, 200);
  });
}
