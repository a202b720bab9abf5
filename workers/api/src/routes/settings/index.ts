import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { registerGetSettings } from './get.ts';
import { registerUpdateSettings } from './update.ts';

export function registerSettingsRoutes(app: OpenAPIHono<AppEnv>) {
  registerGetSettings(app);
  registerUpdateSettings(app);
}
