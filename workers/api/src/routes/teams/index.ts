import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { registerCreateTeam } from './create.ts';
import { registerDeleteTeam } from './delete.ts';
import { registerGetTeam } from './get.ts';
import { registerListTeams } from './list.ts';
import { registerUpdateTeam } from './update.ts';

export function registerTeamRoutes(app: OpenAPIHono<AppEnv>) {
  registerListTeams(app);
  registerCreateTeam(app);
  registerGetTeam(app);
  registerUpdateTeam(app);
  registerDeleteTeam(app);
}
