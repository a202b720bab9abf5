import type { Hono, MiddlewareHandler } from 'hono';
import { TrieRouter } from 'hono/router/trie-router';
import type { AppEnv } from '../context.ts';
import { ApiError } from '../errors.ts';

/** Which methods each registered path answers (HEAD wherever GET), once all routes are registered. */
function methodsByPath(app: Hono<AppEnv>): TrieRouter<string[]> {
  const byPath = new Map<string, Set<string>>();
  for (const { method, path } of app.routes) {
    if (method === 'ALL') continue; // middleware
    const methods = byPath.get(path) ?? new Set<string>();
    methods.add(method);
    if (method === 'GET') methods.add('HEAD');
    byPath.set(path, methods);
  }
  const router = new TrieRouter<string[]>();
  for (const [path, methods] of byPath) router.add('ALL', path, [...methods]);
  return router;
}

/**
 * A method a path does not support is a 405 with `Allow`, decided before anything reads the request
 * (its key, its content type, its body): so `PUT /v1/groningen/teams` is a 405 with or without a
 * body or a valid key. Runs after the request frame, which answers CORS preflights.
 */
export function methodNotAllowed(app: Hono<AppEnv>): MiddlewareHandler<AppEnv> {
  let router: TrieRouter<string[]> | undefined;
  return async (c, next) => {
    router ??= methodsByPath(app);
    const allowed = new Set(router.match('ALL', c.req.path)[0].flatMap(([methods]) => methods));
    if (allowed.size === 0 || allowed.has(c.req.method)) return next();
    const allow = [...allowed].join(', ');
    throw new ApiError('method-not-allowed', `Allowed: ${allow}`, { headers: { Allow: allow } });
  };
}
