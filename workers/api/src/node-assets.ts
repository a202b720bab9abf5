import { serveStatic } from '@hono/node-server/serve-static';
import type { MiddlewareHandler } from 'hono';

/** Where `npm run build` puts the static assets; in a Worker, Workers Static Assets serves them. */
export const ASSETS_DIR = 'workers/api/public';

/** Pages served at a path without their file name. */
const PAGES: Record<string, string> = { '/': '/index.html', '/docs': '/docs/index.html' };
/** Files whose URL stays the same across releases: cached briefly, so a release reaches embeds soon. */
const SHORT_LIVED = new Set(['/', '/docs', '/widget.js', '/hulpvraag.js', '/status.js', '/demo.js']);
/** Module scripts that municipalities' own pages load from here. */
const EMBEDS = new Set(['/widget.js', '/hulpvraag.js']);

/** The same files on Node, with the caching and headers that `static/_headers` gives them on Cloudflare. */
export function nodeStaticAssets(root = ASSETS_DIR): MiddlewareHandler {
  const files = serveStatic({
    root,
    rewriteRequestPath: (path) => PAGES[path] ?? path,
  });
  return (c, next) => {
    // A trailing slash is the API's 404 problem here too, not the folder's index page.
    if (c.req.path.length > 1 && c.req.path.endsWith('/')) return next();
    c.header('Cache-Control', SHORT_LIVED.has(c.req.path) ? 'public, max-age=300' : 'public, max-age=3600');
    if (EMBEDS.has(c.req.path)) {
      c.header('Cross-Origin-Resource-Policy', 'cross-origin');
      c.header('Access-Control-Allow-Origin', '*');
    }
    return files(c, next);
  };
}
