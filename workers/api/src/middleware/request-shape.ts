import { findTenant } from '@wijkteams/tenants';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { AppEnv } from '../context.ts';
import { ApiError } from '../errors.ts';
import { authenticate } from './authenticate.ts';

export const MAX_BODY_BYTES = 64 * 1024;
/** A whole municipality's coverage, down to house-number ranges, fits in this. */
export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;

const tooLarge = (maxSize: number) =>
  new ApiError('payload-too-large', `This request body may be at most ${maxSize / 1024} KiB`);
const limit = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw tooLarge(maxSize);
    },
  });
const small = limit(MAX_BODY_BYTES);
const large = limit(MAX_IMPORT_BYTES);

const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Bodies are JSON (the bulk postcode import also takes CSV; anything else is a 415) and limited in
 * size (413). GET, HEAD and OPTIONS skip the size check: asking for their (absent) body would make
 * the Node adapter build a full Request object, which costs more than a whole postcode lookup.
 */
const checkBody: MiddlewareHandler<AppEnv> = (c, next) => {
  const { method } = c.req;
  if (BODYLESS.has(method)) return next();
  const isImport = c.req.path.endsWith('/postcode-areas');
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    const type = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const accepted = isImport ? ['application/json', 'text/csv'] : ['application/json'];
    if (!accepted.includes(type)) {
      throw new ApiError('unsupported-media-type', `Send the body as ${accepted.join(' or ')}`);
    }
  }
  // A declared length is checked from the header (the server reads no more than it): asking for the
  // body stream here would make the Node adapter build a full Request. Chunked bodies are counted.
  const declared = c.req.header('Content-Length');
  if (declared !== undefined && c.req.header('Transfer-Encoding') === undefined) {
    const maxSize = isImport ? MAX_IMPORT_BYTES : MAX_BODY_BYTES;
    if (Number(declared) > maxSize) throw tooLarge(maxSize);
    return next();
  }
  return (isImport ? large : small)(c, next);
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

/**
 * CORS for browsers (only they send Origin; everything else skips that work). Called by the request
 * frame around the rest of the chain, so that every answer, refusals included, carries the CORS
 * headers and `Vary: Origin`; a preflight is answered here.
 */
export const withCors: MiddlewareHandler<AppEnv> = (c, next) =>
  c.req.header('Origin') === undefined ? next() : corsHeaders(c, next);

/** The body checks, then who is calling: one layer. */
export const admit: MiddlewareHandler<AppEnv> = (c, next) =>
  // authenticate never answers on its own (it throws or goes on), so it resolves to void.
  checkBody(c, () => authenticate(c, next) as Promise<void>);
