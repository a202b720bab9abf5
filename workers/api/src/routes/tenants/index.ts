import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { registerGetTenant } from './get.ts';
import { registerListTenants } from './list.ts';

export function registerTenantRoutes(app: OpenAPIHono<AppEnv>) {
  registerListTenants(app);
  registerGetTenant(app);
}
