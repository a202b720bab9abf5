import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { actorId } from '@wijkteams/access';
import { textLine } from '@wijkteams/db';
import {
  MUNICIPALITY_CODE_PATTERN,
  onboardTenant,
  REFERENCE_PREFIX_PATTERN,
  RESERVED_SLUGS,
  TENANT_SLUG_PATTERN,
} from '@wijkteams/tenants';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requirePlatformAdmin } from '../../middleware/authorize.ts';
import { registerRoute } from '../register.ts';
import { jsonBody, locationHeader, platformProblems, TenantSchema } from '../schemas.ts';
import { presentTenant } from './present.ts';

const OnboardingSchema = z
  .strictObject({
    slug: z
      .string()
      .regex(TENANT_SLUG_PATTERN, 'Lowercase letters, digits and dashes; 2 to 40 characters')
      .refine((slug) => !RESERVED_SLUGS.has(slug), 'This word is reserved')
      .openapi({ example: 'utrecht' }),
    name: textLine(100, 2).openapi({ example: 'Gemeente Utrecht' }),
    municipalityCode: z
      .string()
      .regex(MUNICIPALITY_CODE_PATTERN, 'A CBS municipality code such as GM0344')
      .openapi({ example: 'GM0344' }),
    referencePrefix: z
      .string()
      .regex(REFERENCE_PREFIX_PATTERN, 'Three capital letters, such as UTR')
      .optional()
      .openapi({
        example: 'UTR',
        description:
          'Starts every request reference; where not given, derived from the name (the first one that is free: Den Haag DHA, Den Helder DHE). A prefix that is taken is a 409',
      }),
  })
  .openapi('Onboarding', {
    example: { slug: 'utrecht', name: 'Gemeente Utrecht', municipalityCode: 'GM0344' },
  });

const route = createRoute({
  method: 'post',
  path: '/v1/tenants',
  operationId: 'createTenant',
  tags: ['Tenants'],
  summary: 'Onboard a municipality: its own database, migrated and seeded with its CBS postcode areas',
  description:
    'Idempotent: the same body again answers 200 with the tenant. The same slug with another body, or a municipality that already has a tenant, is a 409. A failure leaves the tenant `failed` (see GET); sending the same body again completes it.',
  security: [{ bearer: [] }],
  middleware: [requirePlatformAdmin] as const,
  request: { body: jsonBody(OnboardingSchema) },
  responses: {
    200: {
      description: 'Already onboarded with this body',
      content: { 'application/json': { schema: TenantSchema } },
    },
    201: {
      description: 'Onboarded',
      headers: locationHeader('/v1/tenants/utrecht'),
      content: { 'application/json': { schema: TenantSchema } },
    },
    ...platformProblems('conflict', 'onboarding-unavailable', 'provisioning-failed'),
  },
});

export const registerCreateTenant = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const runtime = c.get('runtime');
    const ctx = {
      control: c.get('control')().$client,
      provisioner: runtime.provisioner(),
      tenantMigrations: async () => (await runtime.onDemand()).tenantMigrations(),
      actor: actorId(c.get('actor')),
      origin: runtime.clientIp(c),
    };
    const outcome = await onboardTenant(ctx, c.req.valid('json'));
    switch (outcome.status) {
      case 'created':
      case 'completed':
        runtime.tenantCache.forget(outcome.tenant.slug);
        c.header('Location', `/v1/tenants/${outcome.tenant.slug}`);
        return c.json(presentTenant(outcome.tenant), 201);
      case 'unchanged':
        return c.json(presentTenant(outcome.tenant), 200);
      case 'conflict':
        throw new ApiError('conflict', outcome.detail);
      case 'unknown-municipality':
        throw new ApiError('validation-failed', outcome.detail, {
          invalidParams: [{ name: 'body.municipalityCode', reason: 'Not a CBS municipality code' }],
        });
      case 'failed':
        runtime.tenantCache.forget(c.req.valid('json').slug);
        throw new ApiError(
          'provisioning-failed',
          'Setting up the database failed; send the same request again',
        );
    }
  });
