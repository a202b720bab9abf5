import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { registerCategoryRoutes } from '../categories/index.ts';
import { registerProviderRoutes } from '../providers/index.ts';
import { registerLadderRoutes } from '../providers/ladder.ts';
import { registerRequestAudit } from './audit.ts';
import { registerCreateRequest } from './create.ts';
import { registerEraseRequest } from './erase.ts';
import { registerGetRequest } from './get.ts';
import { registerListRequests } from './list.ts';
import { registerRequestReport } from './report.ts';
import { registerRequestStatus } from './status.ts';
import { registerIssueStatusToken } from './status-token.ts';
import { registerTransitionRequest } from './transition.ts';
import { registerWithdrawRequest } from './withdraw.ts';

export function registerRequestRoutes(app: OpenAPIHono<AppEnv>) {
  registerCategoryRoutes(app);
  registerCreateRequest(app);
  registerListRequests(app);
  registerGetRequest(app);
  registerRequestStatus(app);
  registerIssueStatusToken(app);
  registerTransitionRequest(app);
  registerWithdrawRequest(app);
  registerEraseRequest(app);
  registerRequestReport(app);
  registerRequestAudit(app);
  registerProviderRoutes(app);
  registerLadderRoutes(app);
}
