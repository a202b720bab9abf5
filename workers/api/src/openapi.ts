import type { OpenAPIHono } from '@hono/zod-openapi';
import { API_VERSION, type AppEnv } from './context.ts';

type Document = ReturnType<OpenAPIHono<AppEnv>['getOpenAPI31Document']>;

const VERSION_HEADER = {
  description: 'The full version of the API that answered',
  schema: { type: 'string', example: API_VERSION },
};

/**
 * `GET /v1/openapi.json`, generated from the routes' zod schemas. The document describes the v1
 * API relative to its server `…/v1` (as the API Design Rules ask), and names the `API-Version`
 * header on every success, as the observe middleware sends it on every response.
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
        'Find your neighbourhood social team, ask for help, and pay for small services with dienstencheques. Errors are application/problem+json (RFC 9457).',
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
        if (/^[23]/.test(status)) response.headers = { 'API-Version': VERSION_HEADER, ...response.headers };
      }
    }
    paths[path.slice('/v1'.length)] = item;
  }
  return { ...document, paths };
}
