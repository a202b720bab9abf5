import type { OpenAPIHono } from '@hono/zod-openapi';
import { API_VERSION, type AppEnv } from './context.ts';

type Document = ReturnType<OpenAPIHono<AppEnv>['getOpenAPI31Document']>;

const header = (description: string, example: string | number) => ({
  description,
  required: true,
  schema: { type: typeof example === 'number' ? 'integer' : 'string', example },
});

/** Headers the request frame and the error handler put on answers, by status. */
const EVERY_ANSWER = {
  'API-Version': header('The full version of the API that answered', API_VERSION),
  'X-Request-ID': header(
    'The request id, as in the log line (yours, if you sent a valid one)',
    'a3f1c9e0-2b7d-4c55-9e1a-6f0d8b4c2e17',
  ),
};
const BY_STATUS: Record<string, Record<string, ReturnType<typeof header>>> = {
  '401': { 'WWW-Authenticate': header('How to authenticate', 'Bearer') },
  '429': { 'Retry-After': header('Seconds until the limit resets', 42) },
  '503': { 'Retry-After': header('Seconds to wait before trying again', 5) },
};

/**
 * `GET /v1/openapi.json`, generated from the routes' zod schemas. The document describes the v1
 * API relative to its server `…/v1` (as the API Design Rules ask), and names the headers every
 * answer carries (`API-Version`, refusals included) and those of some statuses (`Retry-After`).
 *
 * Its server is the configured public address (`PUBLIC_BASE_URL`; `npm start` sets the address it
 * listens on): never the request's `Host`, which the caller chooses, and an answer that is cached
 * publicly must not repeat what a caller chose. Built once, on the first request, and kept.
 */
export function registerOpenApiDocument(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'The platform admin key, or a tenant API key (`wt_partner_<tenant>_…`)',
  });
  let body: string | undefined;
  app.get('/v1/openapi.json', (c) => {
    body ??= JSON.stringify(openApiDocument(app, c.get('runtime').config.publicBaseUrl));
    c.header('Cache-Control', 'public, max-age=300');
    c.header('Access-Control-Allow-Origin', '*');
    return c.body(body, 200, { 'Content-Type': 'application/json' });
  });
}

/** The document for a public address (`https://api.example`). */
export function openApiDocument(app: OpenAPIHono<AppEnv>, base: string) {
  const document = app.getOpenAPIDocument({
    openapi: '3.0.3',
    info: {
      title: 'Wijkteams API',
      version: API_VERSION,
      description:
        'Find your neighbourhood social team, ask for help, and pay for small services with dienstencheques. Errors are application/problem+json (RFC 9457). The lists and reports a finance or policy officer uses (vouchers of a period, an account statement, the voucher and request reports) answer CSV with `Accept: text/csv`, all in one format for Dutch spreadsheets: see the `CsvExport` schema.',
      contact: {
        name: 'Wijkteams platform team',
        email: 'platform@wijkteams.example',
        url: `${base}/docs`,
      },
    },
    servers: [{ url: `${base}/v1`, description: 'This server' }],
  }) as Document;
  const paths: Document['paths'] = {};
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!path.startsWith('/v1/')) continue;
    for (const operation of Object.values(item ?? {})) {
      const responses = (operation as { responses?: Record<string, { headers?: object }> }).responses ?? {};
      for (const [status, response] of Object.entries(responses)) {
        response.headers = { ...EVERY_ANSWER, ...BY_STATUS[status], ...response.headers };
      }
    }
    paths[path.slice('/v1'.length)] = item;
  }
  return withNullSchemas({ ...document, paths });
}

/** "Null and nothing else" in OpenAPI 3.0, where `nullable` needs a `type` beside it. */
const NULL_SCHEMA = { type: 'object', nullable: true, enum: [null] };
const isBareNullable = (value: unknown) =>
  typeof value === 'object' && value !== null && Object.keys(value).length === 1 && 'nullable' in value;

/**
 * The generator renders "this schema or null" as `anyOf: [X, { nullable: true }]` (or `allOf` for
 * `.nullable()`), which OpenAPI 3.0 does not define: `nullable` without `type` means nothing, and
 * validators refuse it. Each becomes `anyOf: [X, NULL_SCHEMA]`.
 */
function withNullSchemas<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withNullSchemas) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) out[key] = withNullSchemas(child);
  const anyOf = out.anyOf as unknown[] | undefined;
  if (anyOf?.some(isBareNullable)) out.anyOf = anyOf.map((s) => (isBareNullable(s) ? NULL_SCHEMA : s));
  const allOf = out.allOf as unknown[] | undefined;
  if (allOf?.length === 2 && isBareNullable(allOf[1])) {
    delete out.allOf;
    out.anyOf = [allOf[0], NULL_SCHEMA];
  }
  return out as T;
}
