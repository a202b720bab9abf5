import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { withdrawWithToken } from '@wijkteams/intake';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { EXAMPLE, publicTenantProblems, TenantParam } from '../schemas.ts';
import { intakeContext } from './context.ts';
import { PublicStatusSchema, REQUEST_EXAMPLE, ReferenceParam, StatusTokenHeaders } from './schemas.ts';

const route = createRoute({
  method: 'post',
  path: '/v1/{tenant}/requests/{reference}/withdrawal',
  operationId: 'withdrawRequest',
  tags: ['Requests'],
  summary: 'The resident withdraws their request, while nobody has accepted it yet',
  description:
    'With the `Status-Token` of the intake answer; no body. Received, triaged or offered: the request is cancelled (200, the same as `GET …/status` then shows; withdrawing again answers the same). Accepted or later: a 409 `withdrawal-too-late`, the team decides. A wrong token and an unknown reference are the same 404.',
  middleware: [resolveTenant] as const,
  request: {
    params: z.object({ tenant: TenantParam, reference: ReferenceParam }),
    headers: StatusTokenHeaders,
  },
  responses: {
    200: {
      description: 'Withdrawn: the status is `cancelled`',
      content: {
        'application/json': {
          schema: PublicStatusSchema,
          example: {
            reference: REQUEST_EXAMPLE.reference,
            status: 'cancelled',
            receivedAt: '2026-03-02T09:00:00.000Z',
            lastChangedAt: '2026-03-02T11:30:00.000Z',
            slaDueAt: '2026-03-09T09:00:00.000Z',
            team: { id: EXAMPLE.teamId, name: 'WIJ Centrum' },
            timeline: [
              { status: 'received', at: '2026-03-02T09:00:00.000Z' },
              { status: 'cancelled', at: '2026-03-02T11:30:00.000Z' },
            ],
            withdrawable: false,
          },
        },
      },
    },
    ...publicTenantProblems('not-found', 'withdrawal-too-late', 'conflict'),
  },
});

export const registerWithdrawRequest = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const outcome = await withdrawWithToken(
      await intakeContext(c),
      c.req.valid('param').reference,
      c.req.valid('header')['status-token'],
    );
    if (outcome.ok) return c.json(outcome.status, 200);
    switch (outcome.reason) {
      case 'not-found':
        // As for the status: a wrong token and an unknown reference look the same.
        throw new ApiError('not-found', 'No request with this reference and token');
      case 'too-late':
        throw new ApiError(
          'withdrawal-too-late',
          `This request is ${outcome.status.replace('_', ' ')}: call the team to change or cancel it`,
          { extensions: { requestStatus: outcome.status } },
        );
      default:
        throw new ApiError('conflict', 'The request kept changing; try again');
    }
  });
