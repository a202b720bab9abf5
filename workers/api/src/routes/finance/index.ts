import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { registerPayoutRoutes } from './payouts.ts';
import { registerReverseRedemption } from './reversals.ts';
import { registerSettlement } from './settlements.ts';

/** What finance needs from the dienstencheques: settlements, payouts and their bank files, reversals. */
export function registerFinanceRoutes(app: OpenAPIHono<AppEnv>) {
  registerSettlement(app);
  registerPayoutRoutes(app);
  registerReverseRedemption(app);
}
