import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Client } from '@libsql/client';
import { tenantDb } from '@wijkteams/db';
import { nationalIndex, type TeamMatch } from '@wijkteams/lookup';
import { listTenants } from '@wijkteams/tenants';
import { dutchDay } from '@wijkteams/time';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { registerRoute } from '../register.ts';
import { EXAMPLE, orNull, problemResponses, TEAM_EXAMPLE, TeamSchema } from '../schemas.ts';
import { LOOKUP_CACHE_CONTROL, MatchSchema, PostcodeParam, postcodeOrProblem } from './shared.ts';

const NationalSchema = z
  .object({
    postcode: z.string().openapi({ example: '3511AB' }),
    displayPostcode: z.string().openapi({ example: '3511 AB' }),
    municipality: z.object({ code: z.string().openapi({ example: 'GM0344' }), name: z.string() }),
    tenant: z.object({ slug: z.string(), name: z.string() }).nullable().openapi({
      description: 'Null where the municipality is not (yet) on this platform',
    }),
    team: orNull(TeamSchema),
    match: orNull(MatchSchema),
  })
  .openapi('NationalLookup', {
    example: {
      postcode: '9712CP',
      displayPostcode: '9712 CP',
      municipality: { code: 'GM0014', name: 'Groningen' },
      tenant: { slug: EXAMPLE.tenant, name: 'Gemeente Groningen' },
      team: TEAM_EXAMPLE,
      match: {
        level: 'pc4',
        ruleId: EXAMPLE.ruleId,
        validFrom: '2026-01-01',
        validTo: null,
        isExample: true,
      },
    },
  });

const route = createRoute({
  method: 'get',
  path: '/v1/postcodes/{postcode}',
  operationId: 'lookupPostcodeNationally',
  tags: ['Lookup'],
  summary: 'Which municipality serves a postcode (CBS), whether it is on this platform, and its team',
  request: { params: z.object({ postcode: PostcodeParam }) },
  responses: {
    200: {
      description: 'The municipality, and the tenant and team where there is one',
      content: { 'application/json': { schema: NationalSchema } },
    },
    ...problemResponses('postcode-unknown'),
  },
});

export const registerNationalLookup = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const postcode = postcodeOrProblem(c.req.valid('param').postcode);
    const municipality = nationalIndex().municipalityOf(postcode.pc4);
    if (!municipality) {
      throw new ApiError(
        'postcode-unknown',
        `CBS assigns ${postcode.display} to no municipality (or it has no residents)`,
      );
    }
    const runtime = c.get('runtime');
    const tenant = await runtime.tenantCache.byMunicipality(municipality.code, () =>
      listTenants(c.get('control')()),
    );
    let found: TeamMatch | undefined;
    if (tenant?.status === 'active') {
      let client: Client | undefined;
      const db = () => {
        client ??= runtime.databases.tenant(tenant.databaseUrl);
        return tenantDb(client);
      };
      try {
        const index = await runtime.coverage.index(tenant.id, db);
        found = index.resolve(postcode, null, dutchDay(new Date()));
      } finally {
        if (client) runtime.databases.release(client);
      }
    }
    c.header('Cache-Control', LOOKUP_CACHE_CONTROL);
    return c.json(
      {
        postcode: postcode.canonical,
        displayPostcode: postcode.display,
        municipality: { code: municipality.code, name: municipality.name },
        tenant: tenant?.status === 'active' ? { slug: tenant.slug, name: tenant.name } : null,
        team: found?.team ?? null,
        match: found?.match ?? null,
      },
      200,
    );
  });
