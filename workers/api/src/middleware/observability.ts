import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { secureHeaders } from 'hono/secure-headers';
import { API_VERSION, type AppEnv } from '../context.ts';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

const headers = (contentSecurityPolicy: Record<string, string[]>) =>
  secureHeaders({
    contentSecurityPolicy,
    strictTransportSecurity: 'max-age=31536000; includeSubDomains',
    xFrameOptions: 'DENY',
    crossOriginResourcePolicy: 'same-origin',
    referrerPolicy: 'no-referrer',
  });
const apiHeaders = headers({ defaultSrc: ["'none'"], frameAncestors: ["'none'"] });
/** The documentation page runs Swagger UI, served from this host. */
const docsHeaders = headers({
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  frameAncestors: ["'none'"],
});

/** The security headers of the API Design Rules (/core/transport/security-headers). */
export const securityHeaders: MiddlewareHandler = (c, next) =>
  c.req.path === '/docs' ? docsHeaders(c, next) : apiHeaders(c, next);

/**
 * A request id, the `API-Version` header, and one structured log line per request. The line names
 * the route template, never the concrete path or query, so no personal data reaches the logs.
 */
export const observe: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = performance.now();
  const offered = c.req.header('X-Request-ID');
  const requestId = offered && REQUEST_ID.test(offered) ? offered : crypto.randomUUID();
  c.set('requestId', requestId);
  await next();
  c.header('API-Version', API_VERSION);
  c.header('X-Request-ID', requestId);
  if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  console.log(
    JSON.stringify({
      level: c.res.status >= 500 ? 'error' : 'info',
      msg: 'request',
      method: c.req.method,
      route: routePath(c, -1) || null,
      tenant: c.get('tenant')?.slug ?? null,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      requestId,
    }),
  );
};
