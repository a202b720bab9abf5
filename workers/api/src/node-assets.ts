import { serveStatic } from '@hono/node-server/serve-static';
import type { MiddlewareHandler } from 'hono';

/** Where `npm run build` puts the static assets; in a Worker, Workers Static Assets serves them. */
export const ASSETS_DIR = 'workers/api/public';

/** Pages served at a path without their file name. */
const PAGES: Record<string, string> = { '/': '/index.html', '/docs': '/docs/index.html' };
/** Files whose URL stays the same across releases: cached briefly, so a release reaches embeds soon. */
const SHORT_LIVED = new Set(['/', '/docs', '/widget.js', '/demo.js']);

/** The same files on Node, with the caching that `static/_headers` gives them on Cloudflare. */
export function nodeStaticAssets(root = ASSETS_DIR): MiddlewareHandler {
  const files = serveStatic({
    root,
    rewriteRequestPath: (path) => PAGES[path] ?? path,
  });
  return (c, next) => {
    c.header('Cache-Control', SHORT_LIVED.has(c.req.path) ? 'public, max-age=300' : 'public, max-age=3600');
    return files(c, next);
  };
}
