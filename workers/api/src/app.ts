import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './context.ts';
import { ApiError } from './errors.ts';
import { consoleLog, type Log } from './log.ts';
import { methodNotAllowed } from './middleware/method-not-allowed.ts';
import { requestFrame } from './middleware/observability.ts';
import { admit } from './middleware/request-shape.ts';
import { registerOpenApiDocument } from './openapi.ts';
import { describeFailure, problemResponse, toApiError } from './problem-response.ts';
import { registerApiKeyRoutes } from './routes/api-keys/index.ts';
import { registerListAuditEvents } from './routes/audit-events/list.ts';
import { registerDevMessages } from './routes/dev/messages.ts';
import { registerFinanceRoutes } from './routes/finance/index.ts';
import { registerHealth } from './routes/health/get.ts';
import { registerMessageTemplateRoutes } from './routes/message-templates/index.ts';
import { registerOfferPages } from './routes/offers/page.ts';
import { registerPostcodeRoutes } from './routes/postcodes/index.ts';
import { registerRequestRoutes } from './routes/requests/index.ts';
import { registerSettingsRoutes } from './routes/settings/index.ts';
import { registerStatusPage } from './routes/status-page/get.ts';
import { registerTeamRoutes } from './routes/teams/index.ts';
import { registerTenantRoutes } from './routes/tenants/index.ts';
import { registerVoucherRoutes } from './routes/vouchers/index.ts';
import { registerWebhookRoutes } from './routes/webhook-subscriptions/index.ts';
import type { Runtime } from './runtime.ts';

/** What the app serves from the built assets on Node; in a Worker, Workers Static Assets serves them first. */
const ASSET_PATHS = ['/docs/*', '/docs', '/', '/widget.js', '/hulpvraag.js', '/status.js', '/demo.js'];

export interface AppOptions {
  /** The runtime for a request: per isolate in a Worker (from its env), fixed on Node. */
  runtime: (c: Context<AppEnv>) => Runtime;
  /** Serves /docs (and other built assets) where the platform does not: Node. */
  assets?: MiddlewareHandler;
  /** Where log records go; the console unless the host has something cheaper (Node: buffered stdout). */
  log?: Log;
}

/** The whole API, wired once: middleware, errors, routes and the OpenAPI document. */
export function createApp(options: AppOptions) {
  const app = new OpenAPIHono<AppEnv>({
    strict: true,
    defaultHook: (result) => {
      if (!result.success) throw ApiError.fromZod(result.error, result.target);
    },
  });

  const log = options.log ?? consoleLog;
  app.use(requestFrame(log, options.runtime));
  app.use(methodNotAllowed(app));
  app.use(admit);

  registerHealth(app);
  registerTenantRoutes(app);
  registerApiKeyRoutes(app);
  registerListAuditEvents(app);
  registerSettingsRoutes(app);
  registerTeamRoutes(app);
  registerPostcodeRoutes(app);
  registerRequestRoutes(app);
  registerVoucherRoutes(app);
  registerFinanceRoutes(app);
  registerWebhookRoutes(app);
  registerMessageTemplateRoutes(app);
  registerDevMessages(app);
  registerOfferPages(app);
  registerStatusPage(app);
  registerOpenApiDocument(app);
  if (options.assets) {
    for (const path of ASSET_PATHS) app.get(path, options.assets);
  }

  app.notFound((c) =>
    problemResponse(
      c,
      new ApiError('not-found', `Nothing at ${c.req.method} ${new URL(c.req.url).pathname.slice(0, 100)}`),
    ),
  );
  app.onError((error, c) => {
    const apiError = toApiError(error);
    if (apiError.status >= 500) log(describeFailure(error, apiError, c.get('requestId')));
    return problemResponse(c, apiError);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
