import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { registerCreateCategory } from './create.ts';
import { registerListCategories } from './list.ts';
import { registerUpdateCategory } from './update.ts';

export function registerCategoryRoutes(app: OpenAPIHono<AppEnv>) {
  registerListCategories(app);
  registerCreateCategory(app);
  registerUpdateCategory(app);
}
