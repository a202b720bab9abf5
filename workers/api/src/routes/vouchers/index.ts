import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { registerAccountRoutes } from './accounts.ts';
import { registerBudgetRoutes } from './budgets.ts';
import { registerGetVoucher } from './get.ts';
import { registerGetVoucherBatch } from './get-batch.ts';
import { registerIssueVouchers } from './issue.ts';
import { registerListVouchers } from './list.ts';
import { registerRedeemVoucher } from './redeem.ts';
import { registerVoucherReportRoutes } from './reports.ts';
import { registerVoidVoucher } from './void.ts';

export function registerVoucherRoutes(app: OpenAPIHono<AppEnv>) {
  registerIssueVouchers(app);
  registerListVouchers(app);
  registerGetVoucherBatch(app);
  registerGetVoucher(app);
  registerRedeemVoucher(app);
  registerVoidVoucher(app);
  registerAccountRoutes(app);
  registerVoucherReportRoutes(app);
  registerBudgetRoutes(app);
}
