import type { OpenAPIHono } from '@hono/zod-openapi';
import { isReference } from '@wijkteams/intake';
import { findTenant, TENANT_SLUG_PATTERN } from '@wijkteams/tenants';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';

/**
 * Only this host's own script (`/status.js`) and API; nothing inline, no framing, no referrer (the
 * page's address names a request). The styles are constructed stylesheets of that script.
 */
export const STATUS_PAGE_POLICY =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The same page for every reference: whether one exists is for the API to tell, to the token's holder only. */
const page = (municipality: string, found: boolean) => `<!doctype html>
<html lang="nl">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex">
    <title>Status van uw hulpvraag</title>
    <link rel="icon" href="data:,">
    ${found ? '<script type="module" src="/status.js"></script>' : ''}
  </head>
  <body>
    <main id="app" data-municipality="${escapeHtml(municipality)}">
      ${
        found
          ? '<noscript><p>Deze pagina heeft JavaScript nodig. Bel uw wijkteam om te horen hoe het met uw vraag staat.</p></noscript>'
          : '<h1>Deze pagina bestaat niet</h1><p>Controleer de link, of neem contact op met uw gemeente.</p>'
      }
    </main>
  </body>
</html>
`;

function html(c: Context<AppEnv>, body: string, status: 200 | 404) {
  c.header('Content-Security-Policy', STATUS_PAGE_POLICY);
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cache-Control', 'no-store');
  return c.html(body, status);
}

/**
 * `GET /status/{tenant}/{reference}`: the page a resident's status link opens
 * (`…#<statusToken>`); its script reads the token from the fragment. An HTML page, not part of the
 * API document.
 */
export const registerStatusPage = (app: OpenAPIHono<AppEnv>) =>
  app.get('/status/:tenant/:reference', async (c) => {
    const { tenant: slug, reference } = c.req.param();
    const tenant =
      TENANT_SLUG_PATTERN.test(slug) && isReference(reference)
        ? await c.get('runtime').tenantCache.get(slug, (s) => findTenant(c.get('control')(), s))
        : undefined;
    if (tenant?.status !== 'active') return html(c, page('', false), 404);
    return html(c, page(tenant.name, true), 200);
  });
