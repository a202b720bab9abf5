import { resolve } from 'node:path';
import type { DatabaseTarget } from './locate.ts';

export interface NodeDatabaseSettings {
  dataDir: string;
  control: DatabaseTarget;
  tenantAuthToken: string | undefined;
}

/** Database settings for Node processes (server, CLIs), from the environment. */
export function nodeDatabaseSettings(env: NodeJS.ProcessEnv): NodeDatabaseSettings {
  return {
    dataDir: resolve(env.DATA_DIR ?? '.data'),
    control: { url: env.CONTROL_DB_URL ?? 'file:control.db', authToken: env.CONTROL_DB_AUTH_TOKEN },
    tenantAuthToken: env.TENANT_DB_AUTH_TOKEN,
  };
}
