import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { issueStatusToken } from '@wijkteams/intake';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { TenantParam, tenantRouteProblems } from '../schemas.ts';
import { intakeActor, intakeContext } from './context.ts';
import { REQUEST_EXAMPLE, ReferenceParam } from './schemas.ts';

const route = createRoute({
  method: 'post',
  path: '/v1/{tenant}/requests/{reference}/status-tokens',
  operationId: 'issueStatusToken',
  tags: ['Requests'],
  summary: 'A new status link for a resident who lost theirs; the old one stops working',
  description:
    'For the team (`requests:triage`), when a resident calls because their status link is lost. The new `statusToken` is shown once; `statusUrl` is the link to give the resident (on `PUBLIC_BASE_URL`, as in the messages). Audited.',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('requests:triage')] as const,
  request: { params: z.object({ tenant: TenantParam, reference: ReferenceParam }) },
  responses: {
    201: {
      description: 'The new status token and link',
      content: {
        'application/json': {
          schema: z
            .object({
              reference: z.string().openapi({ example: REQUEST_EXAMPLE.reference }),
              statusToken: z.string().openapi({ example: REQUEST_EXAMPLE.statusToken }),
              statusUrl: z.string().url(),
            })
            .openapi('NewStatusToken', {
              example: {
                reference: REQUEST_EXAMPLE.reference,
                statusToken: REQUEST_EXAMPLE.statusToken,
                statusUrl: `https://api.example/status/groningen/${REQUEST_EXAMPLE.reference}#${REQUEST_EXAMPLE.statusToken}`,
              },
            }),
        },
      },
    },
    ...tenantRouteProblems('not-found', 'conflict'),
  },
});

export const registerIssueStatusToken = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const { tenant, reference } = c.req.valid('param');
    const outcome = await issueStatusToken(await intakeContext(c), reference, intakeActor(c.get('actor')));
    if (!outcome.ok) {
      if (outcome.reason === 'not-found')
        throw new ApiError('not-found', 'This municipality has no such request');
      throw new ApiError(
        'conflict',
        'This request’s personal data is erased: there is no resident to send a link to',
      );
    }
    // The same base as the link in the messages to residents (PUBLIC_BASE_URL).
    const { publicBaseUrl } = c.get('runtime').events;
    const statusUrl = `${publicBaseUrl}/status/${tenant}/${outcome.reference}#${outcome.statusToken}`;
    return c.json({ reference: outcome.reference, statusToken: outcome.statusToken, statusUrl }, 201);
  });
