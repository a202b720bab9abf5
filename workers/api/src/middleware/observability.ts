import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { API_VERSION, type AppEnv } from '../context.ts';
import type { Log } from '../log.ts';
import type { Runtime } from '../runtime.ts';
import { withCors } from './request-shape.ts';
import { attachRuntime } from './runtime.ts';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * What the API Design Rules ask of every answer (/core/transport/security-headers), besides
 * `Cache-Control` and a `Content-Security-Policy` (per page, below).
 */
export const ADR_SECURITY_HEADERS: [string, string][] = [
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
];
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";
const COMMON_SECURITY_HEADERS: [string, string][] = [
  ...ADR_SECURITY_HEADERS,
  // Further hardening (OWASP secure headers).
  ['Referrer-Policy', 'no-referrer'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
];
const API_HEADERS: [string, string][] = [
  ...COMMON_SECURITY_HEADERS,
  ['Content-Security-Policy', API_CONTENT_SECURITY_POLICY],
];
/** The documentation page runs Swagger UI, served from this host. */
const DOCS_HEADERS: [string, string][] = [
  ...COMMON_SECURITY_HEADERS,
  [
    'Content-Security-Policy',
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
  ],
];
/** The demo page (/) runs the widget and its own script from this host; only its styles are inline. */
const DEMO_HEADERS: [string, string][] = [
  ...COMMON_SECURITY_HEADERS,
  [
    'Content-Security-Policy',
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  ],
];
const PAGE_HEADERS: Record<string, [string, string][]> = { '/docs': DOCS_HEADERS, '/': DEMO_HEADERS };

/**
 * The headers every answer carries: `API-Version`, `X-Request-ID`, `Cache-Control: no-store` (a
 * route may override it) and the security headers for its path. Also used by the benchmark's
 * "hello world with the API's headers", to show what these alone cost.
 */
export function setFrameHeaders(c: Context, requestId: string): void {
  c.header('API-Version', API_VERSION);
  c.header('X-Request-ID', requestId);
  c.header('Cache-Control', 'no-store');
  for (const [name, value] of PAGE_HEADERS[c.req.path] ?? API_HEADERS) c.header(name, value);
}

/**
 * What every request passes first, in one layer (each layer costs a busy server more than the work
 * of a postcode lookup): a request id, the `API-Version` header, the security headers of the API
 * Design Rules (/core/transport/security-headers), the runtime, CORS, and one structured log line
 * per request. Headers are set before the handler runs, so they go into the response as it is made.
 * The log line names the route template, never the concrete path or query, so no personal data
 * reaches the logs.
 */
export const requestFrame =
  (log: Log, resolveRuntime: (c: Context<AppEnv>) => Runtime): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const started = performance.now();
    const offered = c.req.header('X-Request-ID');
    const requestId = offered && REQUEST_ID.test(offered) ? offered : crypto.randomUUID();
    c.set('requestId', requestId);
    setFrameHeaders(c, requestId);
    const release = attachRuntime(c, resolveRuntime(c));
    try {
      const preflight = await withCors(c, next);
      if (preflight instanceof Response) c.res = preflight;
    } finally {
      release();
    }
    log({
      level: c.res.status >= 500 ? 'error' : 'info',
      msg: 'request',
      method: c.req.method,
      route: routePath(c, -1) || null,
      tenant: c.get('tenant')?.slug ?? null,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      requestId,
    });
  };
