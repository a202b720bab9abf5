import { serveStatic } from '@hono/node-server/serve-static';
import type { MiddlewareHandler } from 'hono';

/** Where `npm run build` puts the static assets; in a Worker, Workers Static Assets serves them. */
export const ASSETS_DIR = 'workers/api/public';

/** The same files on Node, with the caching that `static/_headers` gives them on Cloudflare. */
export function nodeStaticAssets(root = ASSETS_DIR): MiddlewareHandler {
  const files = serveStatic({
    root,
    rewriteRequestPath: (path) => (path === '/docs' ? '/docs/index.html' : path),
  });
  return (c, next) => {
    c.header('Cache-Control', c.req.path === '/docs' ? 'public, max-age=300' : 'public, max-age=3600');
    return files(c, next);
  };
}
