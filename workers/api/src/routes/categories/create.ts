import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { createCategory } from '@wijkteams/intake';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { jsonBody, TenantPathSchema, tenantRouteProblems } from '../schemas.ts';
import { CategorySchema, NewCategorySchema } from './schemas.ts';
import { auditCategoryChange } from './shared.ts';

const route = createRoute({
  method: 'post',
  path: '/v1/{tenant}/categories',
  operationId: 'createCategory',
  tags: ['Requests'],
  summary: 'Add a category of the municipality’s own, such as “Samen koken”',
  description:
    'The slug is for good: requests keep the category they were made with, so a category is deactivated (`PATCH … { "active": false }`), never removed. A slug that exists is a 409.',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: { params: TenantPathSchema, body: jsonBody(NewCategorySchema) },
  responses: {
    201: { description: 'The new category', content: { 'application/json': { schema: CategorySchema } } },
    ...tenantRouteProblems('conflict'),
  },
});

export const registerCreateCategory = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const input = c.req.valid('json');
    const outcome = await createCategory(c.get('db')().$client, {
      ...input,
      needsSchedule: input.needsSchedule ?? false,
      leadTimeHours: input.leadTimeHours ?? 0,
    });
    if (!outcome.ok)
      throw new ApiError('conflict', `The category '${input.slug}' exists; change it with PATCH`);
    await auditCategoryChange(c, input.slug, 'category.created');
    c.header('Location', `/v1/${c.get('tenant').slug}/categories/${input.slug}`);
    return c.json(outcome.category, 201);
  });
