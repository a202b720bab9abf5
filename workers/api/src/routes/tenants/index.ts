import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { registerCreateTenant } from './create.ts';
import { registerGetTenant } from './get.ts';
import { registerListTenants } from './list.ts';
import { registerUpdateTenant } from './update.ts';

export function registerTenantRoutes(app: OpenAPIHono<AppEnv>) {
  registerCreateTenant(app);
  registerListTenants(app);
  registerGetTenant(app);
  registerUpdateTenant(app);
}
