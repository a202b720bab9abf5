import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { listCategories } from '@wijkteams/intake';
import type { AppEnv } from '../../context.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { IncludeQuerySchema, includesInactive } from '../include-inactive.ts';
import { registerRoute } from '../register.ts';
import { TenantPathSchema, tenantRouteProblems } from '../schemas.ts';
import { CATEGORY_EXAMPLE, CategorySchema } from './schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/categories',
  operationId: 'listCategories',
  tags: ['Requests'],
  summary: 'The kinds of help residents can ask this municipality for',
  description:
    'Public: the active categories. `?include=inactive` (with a `tenant:admin` key) lists the inactive ones as well.',
  middleware: [resolveTenant] as const,
  request: {
    params: TenantPathSchema,
    query: IncludeQuerySchema,
  },
  responses: {
    200: {
      description: 'Categories',
      content: {
        'application/json': {
          schema: z
            .object({ categories: z.array(CategorySchema) })
            .openapi('CategoryList', { example: { categories: [CATEGORY_EXAMPLE] } }),
        },
      },
    },
    ...tenantRouteProblems(),
  },
});

export const registerListCategories = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const includeInactive = includesInactive(c, c.req.valid('query').include);
    if (!includeInactive) c.header('Cache-Control', 'public, max-age=300');
    return c.json({ categories: await listCategories(c.get('db')().$client, { includeInactive }) }, 200);
  });
