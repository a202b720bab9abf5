import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from '../context.ts';
import { ApiError } from '../errors.ts';
import { authenticate } from './authenticate.ts';
import { lookupTenant } from './tenant.ts';

export const MAX_BODY_BYTES = 64 * 1024;
/** A whole municipality's coverage, down to house-number ranges, fits in this. */
export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;

const tooLarge = (maxSize: number) =>
  new ApiError('payload-too-large', `This request body may be at most ${maxSize / 1024} KiB`);

/**
 * Past the limit, up to this much more of a chunked body is read and dropped before the 413, then the
 * rest is cancelled. hono's bodyLimit leaves it unread, and behind wrangler's dev proxy (`npm start`)
 * an unread body stalled the next request for half a minute (measured with curl: 5 of 5 stalled
 * before, 0 of 5 after). workerd itself and Node did not stall either way.
 */
const DRAIN_BYTES = 1024 * 1024;

async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>, budget: number): Promise<void> {
  let left = budget;
  while (left > 0) {
    const { done, value } = await reader.read();
    if (done) return;
    left -= value.byteLength;
  }
  await reader.cancel().catch(() => {});
}

/** A body of no declared length (chunked), counted as it arrives and kept for the handler. */
async function readCounted(c: Context<AppEnv>, maxSize: number): Promise<void> {
  const body = c.req.raw.body;
  if (!body) return;
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxSize) {
      await discardRest(reader, DRAIN_BYTES);
      throw tooLarge(maxSize);
    }
    chunks.push(value);
  }
  const whole = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  c.req.raw = new Request(c.req.raw, { body: whole });
}

const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** POSTs that take no body (a resident's withdrawal, a new status link): sent without one, they need no content type. */
const BODYLESS_POSTS = /^\/v1\/[a-z][a-z0-9-]{1,39}\/requests\/[^/]+\/(withdrawal|status-tokens)$/;
const sendsNoBody = (c: Context<AppEnv>) =>
  c.req.header('Transfer-Encoding') === undefined && Number(c.req.header('Content-Length') ?? 0) === 0;

/**
 * Bodies are JSON (the bulk postcode import also takes CSV; anything else is a 415) and limited in
 * size (413). GET, HEAD and OPTIONS skip the size check: asking for their (absent) body would make
 * the Node adapter build a full Request object, which costs more than a whole postcode lookup.
 */
const checkBody: MiddlewareHandler<AppEnv> = (c, next) => {
  const { method } = c.req;
  if (BODYLESS.has(method)) return next();
  const isImport = c.req.path.endsWith('/postcode-areas');
  // Anonymous callers get the small limit everywhere: the import's 8 MiB is for keys (its route then
  // checks the scope).
  const mayImport = isImport && c.get('actor').type !== 'anonymous';
  if (method === 'POST' && BODYLESS_POSTS.test(c.req.path) && sendsNoBody(c)) return next();
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    const type = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    // The offer page's form posts as browsers do; a POST with no body at all (a retry, a withdrawal) has no type.
    const accepted = isImport
      ? ['application/json', 'text/csv']
      : c.req.path.startsWith('/o/')
        ? ['application/x-www-form-urlencoded']
        : ['application/json'];
    const empty =
      type === '' &&
      c.req.header('Transfer-Encoding') === undefined &&
      Number(c.req.header('Content-Length') ?? 0) === 0;
    if (!accepted.includes(type) && !empty) {
      throw new ApiError('unsupported-media-type', `Send the body as ${accepted.join(' or ')}`);
    }
  }
  // A declared length is checked from the header (the server reads no more than it): asking for the
  // body stream here would make the Node adapter build a full Request. Chunked bodies are counted.
  const declared = c.req.header('Content-Length');
  if (declared !== undefined && c.req.header('Transfer-Encoding') === undefined) {
    const maxSize = mayImport ? MAX_IMPORT_BYTES : MAX_BODY_BYTES;
    if (Number(declared) > maxSize) throw tooLarge(maxSize);
    return next();
  }
  return readCounted(c, mayImport ? MAX_IMPORT_BYTES : MAX_BODY_BYTES).then(() => next());
};

/** Read routes any website may call from the browser: `Access-Control-Allow-Origin: *`. */
const PUBLIC_READS = [
  /^\/v1\/openapi\.json$/,
  /^\/v1\/postcodes\/[^/]+$/,
  /^\/v1\/[a-z][a-z0-9-]{1,39}\/(postcodes\/[^/]+|teams(\/[^/]+)?|categories)$/,
  /^\/widget\.js$/,
  /^\/hulpvraag\.js$/,
];
const TENANT_PATH = /^\/v1\/([a-z][a-z0-9-]{1,39})\//;
/**
 * What residents do from a municipality's own page (`<wijkteam-hulpvraag>`) and the status page:
 * public like the reads, so the embed needs nothing of the host page or the tenant's settings.
 */
const RESIDENT_POSTS = [
  /^\/v1\/[a-z][a-z0-9-]{1,39}\/requests$/,
  /^\/v1\/[a-z][a-z0-9-]{1,39}\/requests\/[^/]+\/withdrawal$/,
];
const RESIDENT_READS = [/^\/v1\/[a-z][a-z0-9-]{1,39}\/requests\/[^/]+\/status$/];

/**
 * CORS: `*` on public read routes, the OpenAPI document and what residents send (intake, status,
 * withdrawal); everything else only for the origins
 * that the tenant has allowed in its settings (`corsOrigins`).
 */
const corsHeaders = cors({
  origin: async (origin, c) => {
    const method = c.req.method === 'OPTIONS' ? c.req.header('Access-Control-Request-Method') : c.req.method;
    const reads = method === 'GET' || method === 'HEAD';
    if (
      reads &&
      (PUBLIC_READS.some((p) => p.test(c.req.path)) || RESIDENT_READS.some((p) => p.test(c.req.path)))
    )
      return '*';
    if (method === 'POST' && RESIDENT_POSTS.some((p) => p.test(c.req.path))) return '*';
    const slug = TENANT_PATH.exec(c.req.path)?.[1];
    if (!slug) return null;
    const tenant = await lookupTenant(c as Context<AppEnv>, slug);
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

/**
 * Who is calling, then the body checks: one layer. In this order, a body is not read for a caller
 * whose key is refused, and only a caller with a key may send a bulk import's size.
 */
export const admit: MiddlewareHandler<AppEnv> = (c, next) =>
  // authenticate never answers on its own (it throws or goes on), so it resolves to void.
  authenticate(c, () => checkBody(c, next) as Promise<void>) as Promise<void>;
