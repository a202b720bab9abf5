import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { updateCategory } from '@wijkteams/intake';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { jsonBody, tenantRouteProblems } from '../schemas.ts';
import { CategoryPatchSchema, CategoryPathSchema, CategorySchema } from './schemas.ts';
import { auditCategoryChange } from './shared.ts';

const route = createRoute({
  method: 'patch',
  path: '/v1/{tenant}/categories/{slug}',
  operationId: 'updateCategory',
  tags: ['Requests'],
  summary: 'Change a category, or take it out of use (`{ "active": false }`)',
  description:
    'A new SLA applies to requests from now on; requests already made keep their category and their due date.',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: { params: CategoryPathSchema, body: jsonBody(CategoryPatchSchema) },
  responses: {
    200: {
      description: 'The category as it now is',
      content: { 'application/json': { schema: CategorySchema } },
    },
    ...tenantRouteProblems('not-found'),
  },
});

export const registerUpdateCategory = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const { slug } = c.req.valid('param');
    const category = await updateCategory(c.get('db')().$client, slug, c.req.valid('json'));
    if (!category) throw new ApiError('not-found', `This municipality has no category '${slug}'`);
    await auditCategoryChange(c, slug, 'category.updated');
    return c.json(category, 200);
  });
