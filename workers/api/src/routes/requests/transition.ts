import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { textLines } from '@wijkteams/db';
import { listProviders, MAX_NOTE_LENGTH, offerRequest, respondToOffer, transition } from '@wijkteams/intake';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireAnyScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { jsonBody, TenantParam, tenantRouteProblems } from '../schemas.ts';
import { intakeActor, intakeContext, invalid, moveProblem } from './context.ts';
import { ReferenceParam, RequestStateSchema, StatusSchema } from './schemas.ts';

const TARGETS = [...StatusSchema.options, 'declined'];
/** Moves that name a provider: an offer, and a provider's answer to it. */
const WITH_PROVIDER = ['offered', 'accepted', 'declined'];

const TransitionSchema = z
  .strictObject({
    to: z.union([StatusSchema, z.literal('declined')], { error: `One of ${TARGETS.join(', ')}` }).openapi({
      description:
        '`offered` needs providerId; `accepted` and `declined` answer an open offer (the provider); anything else moves the status',
    }),
    providerId: z
      .string()
      .max(64)
      .optional()
      .openapi({ description: `Required for ${WITH_PROVIDER.join(', ')}` }),
    note: textLines(MAX_NOTE_LENGTH)
      .optional()
      .openapi({ description: 'Stored encrypted, as the description' }),
  })
  .openapi('RequestTransition', {
    anyOf: [
      { properties: { to: { type: 'string', enum: WITH_PROVIDER } }, required: ['providerId'] },
      { properties: { to: { type: 'string', enum: TARGETS.filter((to) => !WITH_PROVIDER.includes(to)) } } },
    ],
    example: { to: 'triaged', note: 'Past goed bij de klussendienst.' },
  });

const route = createRoute({
  method: 'post',
  path: '/v1/{tenant}/requests/{reference}/transitions',
  operationId: 'transitionRequest',
  tags: ['Requests'],
  summary: 'Move a request through triage and its status flow; an illegal move is a 409',
  security: [{ bearer: [] }],
  description:
    'With `requests:triage`: any allowed move. A key that acts as a provider (`offers:respond`) may only answer, `accepted` or `declined`, an offer made to its own provider; `providerId` may then be left out. Anything else is a 403.',
  middleware: [resolveTenant, requireAnyScope('requests:triage', 'offers:respond')] as const,
  request: {
    params: z.object({ tenant: TenantParam, reference: ReferenceParam }),
    body: jsonBody(TransitionSchema),
  },
  responses: {
    200: {
      description: 'The request’s new state',
      content: {
        'application/json': {
          schema: RequestStateSchema,
        },
      },
    },
    ...tenantRouteProblems('not-found', 'illegal-transition', 'conflict'),
  },
});

export const registerTransitionRequest = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const { reference } = c.req.valid('param');
    const { to, providerId, note } = c.req.valid('json');
    const ctx = await intakeContext(c);
    const caller = c.get('actor');
    const bound = caller.type === 'key' ? (caller.providerId ?? null) : null;
    if (bound) {
      // A provider's own key answers the offers made to it, and does nothing else.
      if (to !== 'accepted' && to !== 'declined')
        throw new ApiError('forbidden', 'A provider’s key can only accept or decline an offer made to it');
      if (providerId !== undefined && providerId !== bound)
        throw new ApiError('forbidden', 'A provider’s key answers for its own provider only');
      const answered = await respondToOffer(
        ctx,
        reference,
        bound,
        to === 'accepted' ? 'accept' : 'decline',
        `provider:${bound}`,
        'key',
        note,
      );
      if (!answered.ok) throw new ApiError('forbidden', 'This request is not offered to you (or no longer)');
      return c.json(answered.request, 200);
    }
    if (caller.type === 'key' && !caller.scopes.includes('requests:triage'))
      throw new ApiError('forbidden', '`offers:respond` works only for a key that acts as a provider');
    const actor = intakeActor(caller);
    const needsProvider = to === 'offered' || to === 'accepted' || to === 'declined';
    if (needsProvider && !providerId)
      throw invalid([{ name: 'providerId', reason: `Required to go to ${to}` }]);
    if ((to === 'accepted' || to === 'declined') && c.get('actor').type === 'key') {
      // A provider with a key of its own answers its offers with that key, and no other key can.
      const provider = (await listProviders(ctx)).find((p) => p.id === providerId);
      const actor = c.get('actor');
      if (provider?.keyId && actor.type === 'key' && provider.keyId !== actor.keyId) {
        throw new ApiError('forbidden', 'Only the provider’s own key can answer this offer');
      }
    }
    const outcome =
      to === 'offered'
        ? await offerRequest(ctx, reference, providerId ?? '', actor)
        : to === 'accepted' || to === 'declined'
          ? await respondToOffer(
              ctx,
              reference,
              providerId ?? '',
              to === 'accepted' ? 'accept' : 'decline',
              actor,
            )
          : await transition(ctx, reference, to, actor, note);
    if (!outcome.ok) {
      if (outcome.reason === 'invalid-input' && 'invalidParams' in outcome)
        throw invalid(outcome.invalidParams);
      throw moveProblem(outcome as { ok: false; reason: string; from?: string; to?: string });
    }
    return c.json(outcome.request, 200);
  });
