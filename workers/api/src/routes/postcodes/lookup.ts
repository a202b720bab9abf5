import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { nationalIndex } from '@wijkteams/lookup';
import { dutchDay } from '@wijkteams/time';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { publicTenantProblems, TenantParam } from '../schemas.ts';
import {
  answersOf,
  jsonText,
  LOOKUP_CACHE_CONTROL,
  type Lookup,
  LookupSchema,
  PostcodeParam,
  postcodeOrProblem,
} from './shared.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/postcodes/{postcode}',
  operationId: 'lookupPostcode',
  tags: ['Lookup'],
  summary: 'The team that serves a postcode (and house number) in this municipality',
  description:
    'Answered from an in-memory index of the tenant’s coverage; `match` names the rule that decided. Cacheable: `ETag` and `Cache-Control`.',
  middleware: [resolveTenant] as const,
  request: {
    params: z.object({ tenant: TenantParam, postcode: PostcodeParam }),
    query: z.object({
      houseNumber: z.coerce.number().int().min(1).max(99_999).optional().openapi({ example: 12 }),
      houseLetter: z
        .string()
        .regex(/^[A-Za-z]$/, 'One letter, as in 12a')
        .optional()
        .openapi({ example: 'a', description: 'The BAG house letter; answered in upper case' }),
      houseNumberAddition: z
        .string()
        .regex(/^[A-Za-z0-9]{1,4}$/, 'One to four letters or digits')
        .optional()
        .openapi({ example: '2', description: 'The BAG house-number addition' }),
    }),
  },
  responses: {
    200: { description: 'The serving team', content: { 'application/json': { schema: LookupSchema } } },
    304: { description: 'Not modified (If-None-Match)' },
    ...publicTenantProblems('postcode-not-served'),
  },
});

export const registerLookupPostcode = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const { postcode: raw } = c.req.valid('param');
    const query = c.req.valid('query');
    const houseNumber = query.houseNumber ?? null;
    if (houseNumber === null && (query.houseLetter ?? query.houseNumberAddition) !== undefined) {
      throw new ApiError('validation-failed', 'A house letter or addition needs the house number', {
        invalidParams: [
          { name: 'query.houseNumber', reason: 'Required with houseLetter or houseNumberAddition' },
        ],
      });
    }
    const houseLetter = query.houseLetter?.toUpperCase() ?? null;
    const houseNumberAddition = query.houseNumberAddition ?? null;
    const runtime = c.get('runtime');
    const tenant = c.get('tenant');
    const index = await runtime.coverage.index(tenant.id, c.get('db'));
    const today = dutchDay(new Date());
    const etag = `W/"${index.version}-${today}"`;
    c.header('Cache-Control', LOOKUP_CACHE_CONTROL);
    c.header('ETag', etag);
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
    // An answer depends on the index, the day, the postcode as typed and the house number only.
    const answers = answersOf(index);
    const asked = `${today}|${raw}|${houseNumber}|${houseLetter}|${houseNumberAddition}`;
    const known = answers.get(asked);
    if (known !== undefined) return jsonText<Lookup>(c, known);

    const postcode = postcodeOrProblem(raw);

    const found = index.resolve(postcode, houseNumber, today);
    if (!found) {
      const municipality = nationalIndex().municipalityOf(postcode.pc4);
      throw new ApiError(
        'postcode-not-served',
        municipality?.code === tenant.municipalityCode
          ? `${tenant.name} has no team for ${postcode.display} yet`
          : municipality
            ? `${postcode.display} lies in ${municipality.name}, not in ${tenant.name}`
            : `${postcode.display} is not a postcode area of ${tenant.name}`,
        { extensions: { servedBy: municipality ? { municipality } : null } },
      );
    }
    const answer: Lookup = {
      postcode: postcode.canonical,
      displayPostcode: postcode.display,
      houseNumber,
      // The letter and addition do not change the team (coverage goes by number); they are echoed.
      houseLetter,
      houseNumberAddition,
      ...found,
    };
    return jsonText<Lookup>(c, answers.set(asked, JSON.stringify(answer)));
  });
