import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { listCategories } from '@wijkteams/intake';
import type { AppEnv } from '../../context.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { problemResponses, TenantPathSchema } from '../schemas.ts';

const CategorySchema = z
  .object({
    slug: z.string().openapi({ example: 'transport' }),
    name: z.object({ nl: z.string(), en: z.string() }),
    slaDays: z.number().int(),
    needsSchedule: z.boolean().openapi({ description: 'Intake then needs preferredAt' }),
    leadTimeHours: z.number().int().openapi({ description: 'How far ahead preferredAt must be' }),
  })
  .openapi('Category');

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/categories',
  operationId: 'listCategories',
  tags: ['Requests'],
  summary: 'The kinds of help residents can ask this municipality for',
  middleware: [resolveTenant] as const,
  request: { params: TenantPathSchema },
  responses: {
    200: {
      description: 'Categories',
      content: { 'application/json': { schema: z.object({ categories: z.array(CategorySchema) }) } },
    },
    ...problemResponses('tenant-not-found', 'tenant-suspended', 'tenant-unavailable'),
  },
});

export const registerListCategories = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json({ categories: await listCategories(c.get('db')().$client) }, 200);
  });
