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
 */
export function registerOpenApiDocument(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'The platform admin key, or a tenant API key (`wt_partner_<tenant>_…`)',
  });
  const cache = new Map<string, string>();
  app.get('/v1/openapi.json', (c) => {
    const origin = new URL(c.req.url).origin;
    let body = cache.get(origin);
    if (!body) {
      body = JSON.stringify(openApiDocument(app, origin));
      cache.set(origin, body);
    }
    c.header('Cache-Control', 'public, max-age=300');
    c.header('Access-Control-Allow-Origin', '*');
    return c.body(body, 200, { 'Content-Type': 'application/json' });
  });
}

export function openApiDocument(app: OpenAPIHono<AppEnv>, origin: string) {
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
        url: `${origin}/docs`,
      },
    },
    servers: [{ url: `${origin}/v1`, description: 'This server' }],
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
