import { findTenant } from '@wijkteams/tenants';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { AppEnv } from '../context.ts';
import { ApiError } from '../errors.ts';

export const MAX_BODY_BYTES = 64 * 1024;
/** A whole municipality's coverage, down to house-number ranges, fits in this. */
export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;

const limit = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError('payload-too-large', `This request body may be at most ${maxSize / 1024} KiB`);
    },
  });
const small = limit(MAX_BODY_BYTES);
const large = limit(MAX_IMPORT_BYTES);

export const limitBody: MiddlewareHandler<AppEnv> = (c, next) =>
  (c.req.path.endsWith('/postcode-areas') ? large : small)(c, next);

/** Bodies are JSON; the bulk postcode import also takes CSV. Anything else is a 415. */
export const requireSupportedBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method === 'POST' || c.req.method === 'PUT' || c.req.method === 'PATCH') {
    const type = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const accepted = c.req.path.endsWith('/postcode-areas')
      ? ['application/json', 'text/csv']
      : ['application/json'];
    if (!accepted.includes(type)) {
      throw new ApiError('unsupported-media-type', `Send the body as ${accepted.join(' or ')}`);
    }
  }
  await next();
};

/** Read routes any website may call from the browser: `Access-Control-Allow-Origin: *`. */
const PUBLIC_READS = [
  /^\/v1\/openapi\.json$/,
  /^\/v1\/postcodes\/[^/]+$/,
  /^\/v1\/[a-z][a-z0-9-]{1,39}\/(postcodes\/[^/]+|teams(\/[^/]+)?|categories)$/,
  /^\/widget\.js$/,
];
const TENANT_PATH = /^\/v1\/([a-z][a-z0-9-]{1,39})\//;

/**
 * CORS: `*` on public read routes and the OpenAPI document; everything else only for the origins
 * that the tenant has allowed in its settings (`corsOrigins`).
 */
const corsHeaders = cors({
  origin: async (origin, c) => {
    const method = c.req.method === 'OPTIONS' ? c.req.header('Access-Control-Request-Method') : c.req.method;
    if ((method === 'GET' || method === 'HEAD') && PUBLIC_READS.some((p) => p.test(c.req.path))) return '*';
    const slug = TENANT_PATH.exec(c.req.path)?.[1];
    if (!slug) return null;
    const { runtime, control } = (c as Context<AppEnv>).var;
    const tenant = await runtime.tenantCache.get(slug, (s) => findTenant(control(), s));
    return tenant?.settings.corsOrigins?.includes(origin) ? origin : null;
  },
  allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
  allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Status-Token', 'X-Request-ID'],
  exposeHeaders: [
    'API-Version',
    'X-Request-ID',
    'Location',
    'Retry-After',
    'RateLimit-Limit',
    'RateLimit-Remaining',
    'RateLimit-Reset',
  ],
  maxAge: 600,
});

/** Only browsers send Origin; everything else skips the CORS work. */
export const corsPolicy: MiddlewareHandler<AppEnv> = (c, next) =>
  c.req.header('Origin') === undefined ? next() : corsHeaders(c, next);
