import type { OpenAPIHono, RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { ZodType } from 'zod';
import type { AppEnv } from '../context.ts';
import { ApiError } from '../errors.ts';

type Target = 'param' | 'query' | 'header' | 'json';
type Check = { target: Target; schema: ZodType };

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** The value hono's validator would hand to the schema, for one part of the request but the body. */
function partOf(c: Context<AppEnv>, target: Exclude<Target, 'json'>): unknown {
  switch (target) {
    case 'param':
      return c.req.param();
    case 'query': {
      const query: Record<string, string | string[]> = {};
      if (!c.req.url.includes('?')) return query; // most requests: parsing nothing still costs
      for (const [key, values] of Object.entries(c.req.queries()))
        query[key] = values.length === 1 ? (values[0] as string) : values;
      return query;
    }
    case 'header':
      return c.req.header();
  }
}

/** The JSON body; `undefined` for an optional body that was not sent as JSON. */
export async function jsonBodyOf(c: Context<AppEnv>, required: boolean): Promise<unknown> {
  const type = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim() ?? '';
  if (!JSON_TYPE.test(type)) return required ? {} : undefined;
  try {
    return await c.req.json();
  } catch {
    throw new ApiError('validation-failed', 'Malformed JSON in request body', {
      invalidParams: [{ name: 'body', reason: 'Malformed JSON in request body' }],
    });
  }
}

/** Header schemas name headers as written (`Idempotency-Key`); requests carry them in lower case. */
function byDeclaredName(schema: ZodType, headers: Record<string, string>): Record<string, string> {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  const declared = new Map(Object.keys(shape).map((key) => [key.toLowerCase(), key]));
  const named: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) named[declared.get(key) ?? key] = value;
  return named;
}

/**
 * Registers a route as `OpenAPIHono#openapi` does (the same document entry, the same schemas, the
 * same `c.req.valid()` in the handler, the same 400 problem on invalid input) but checks all parts
 * of the request in the handler's own layer. `openapi()` adds one middleware layer per part (path,
 * query, headers, body) and each layer costs a busy server more than a whole postcode lookup; see
 * BENCHMARKS.md. Checked: path, query, headers and a JSON body (synchronous schemas); a CSV body is
 * the handler's to read. Anything else declared is refused when the route is registered.
 *
 * `bodyCheckedByHandler`: the handler reads the JSON body (`jsonBodyOf`) and hands it to a domain
 * check that knows more than the document can say (a tenant's own categories, say), so that one
 * 400 lists every invalid field rather than the document's findings first and the domain's on the
 * next try. The documented schema must then be no stricter than that check.
 */
export function registerRoute<R extends RouteConfig>(
  app: OpenAPIHono<AppEnv>,
  route: R,
  handler: RouteHandler<R, AppEnv>,
  options: { bodyCheckedByHandler?: boolean } = {},
): void {
  const { middleware, hide, ...documented } = route;
  if (!hide) app.openAPIRegistry.registerPath(documented);
  const request = route.request;
  // What this does not check must not be declared: the document would promise a check that no one makes.
  const bodyTypes = Object.keys(request?.body?.content ?? {});
  const unchecked = [
    ...(request?.cookies ? ['cookies'] : []),
    ...bodyTypes.filter((type) => type !== 'application/json' && type !== 'text/csv'),
  ];
  if (unchecked.length > 0) {
    throw new Error(`${route.method} ${route.path}: registerRoute does not check ${unchecked.join(', ')}`);
  }
  const checks: Check[] = [];
  if (request?.params) checks.push({ target: 'param', schema: request.params as ZodType });
  if (request?.query) checks.push({ target: 'query', schema: request.query as ZodType });
  if (request?.headers) checks.push({ target: 'header', schema: request.headers as ZodType });
  const json = (request?.body?.content?.['application/json'] as { schema?: unknown } | undefined)?.schema;
  if (json && !options.bodyCheckedByHandler) checks.push({ target: 'json', schema: json as ZodType });
  const bodyRequired = request?.body?.required === true;

  const validated = async (c: Context<AppEnv>) => {
    for (const { target, schema } of checks) {
      let value = target === 'json' ? await jsonBodyOf(c, bodyRequired) : partOf(c, target);
      if (value === undefined) {
        c.req.addValidatedData(target, {}); // an optional JSON body that was not sent as JSON
        continue;
      }
      if (target === 'header') value = byDeclaredName(schema, value as Record<string, string>);
      const result = schema.safeParse(value);
      if (!result.success) throw ApiError.fromZod(result.error, target);
      c.req.addValidatedData(target, result.data as object);
    }
    return (handler as unknown as (c: Context<AppEnv>) => Response | Promise<Response>)(c);
  };
  const before = (middleware === undefined ? [] : [middleware].flat()) as MiddlewareHandler<AppEnv>[];
  app.on([route.method.toUpperCase()], [route.path.replaceAll(/\/{(.+?)}/g, '/:$1')], ...before, validated);
}
