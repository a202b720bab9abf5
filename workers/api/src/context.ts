import type { Actor } from '@wijkteams/access';
import type { ControlDb, Tenant, TenantDb } from '@wijkteams/db';
import type { Runtime } from './runtime.ts';

export const API_VERSION = '1.0.0';

export interface AppEnv {
  Variables: {
    requestId: string;
    runtime: Runtime;
    /** The control-plane database, opened on first use. */
    control: () => ControlDb;
    actor: Actor;
    tenant: Tenant;
    /** The tenant's own database, opened on first use. */
    db: () => TenantDb;
  };
}
