import { type OpenAPIHono, type RouteConfig, type RouteHandler, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { H, Input } from 'hono/types';
import type { AppEnv } from '../context.ts';
import { ApiError } from '../errors.ts';
import { withPipelineProblems } from './schemas.ts';

type Target = 'param' | 'query' | 'header' | 'json';
interface Part {
  target: Target;
  schema: z.ZodType;
  read: (c: Context<AppEnv>) => unknown | Promise<unknown>;
}

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

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

function queryOf(c: Context<AppEnv>): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, values] of Object.entries(c.req.queries()))
    query[key] = values.length === 1 ? (values[0] as string) : values;
  return query;
}

/** A query parameter the route does not declare is a 400 naming `query.<name>`, as an unknown body field is. */
function strictQuery(schema: unknown): z.ZodType {
  if (schema === undefined) return z.strictObject({});
  if (schema instanceof z.ZodObject) return schema.strict();
  throw new Error('A route’s query is declared as a z.object');
}

/** What registerRoute checks of a request, in this order: path, query, headers, JSON body. */
function partsOf(route: RouteConfig, bodyCheckedByHandler: boolean): Part[] {
  const request = route.request;
  const where = `${route.method} ${route.path}`;
  // What is not checked must not be declared: the document would promise a check that no one makes.
  const bodyTypes = Object.keys(request?.body?.content ?? {});
  const unchecked = [
    ...(request?.cookies ? ['cookies'] : []),
    ...bodyTypes.filter((type) => type !== 'application/json' && type !== 'text/csv'),
  ];
  if (unchecked.length > 0) throw new Error(`${where}: registerRoute does not check ${unchecked.join(', ')}`);

  const parts: Part[] = [];
  if (request?.params) parts.push({ target: 'param', schema: request.params, read: (c) => c.req.param() });
  parts.push({ target: 'query', schema: strictQuery(request?.query), read: queryOf });
  if (request?.headers) {
    const headers = request.headers as z.ZodType;
    const names = headers instanceof z.ZodObject ? Object.keys(headers.shape) : [];
    // Requests carry header names in lower case; a schema naming them otherwise would never match.
    if (names.some((name) => name !== name.toLowerCase())) {
      throw new Error(`${where}: declare header names in lower case`);
    }
    parts.push({ target: 'header', schema: headers, read: (c) => c.req.header() });
  }
  const json = (request?.body?.content?.['application/json'] as { schema?: unknown } | undefined)?.schema;
  if (json && !bodyCheckedByHandler) {
    const required = request?.body?.required === true;
    parts.push({ target: 'json', schema: json as z.ZodType, read: (c) => jsonBodyOf(c, required) });
  }
  return parts;
}

/**
 * Registers a route: its entry in the OpenAPI document (with the refusals every route can give:
 * invalid input, a refused key, a body too large or not JSON, a failure of ours), its middleware
 * (tenant, scope), one layer that checks the request against the route's schemas (a 400 problem
 * listing every invalid parameter, unknown query parameters included), and the handler, typed by
 * the route: an answer the route does not document does not compile.
 *
 * Checked: path, query, headers (declared in lower case) and a JSON body. A CSV body is the
 * handler's to read; an optional JSON body that was not sent as JSON is `{}`.
 *
 * `bodyCheckedByHandler`: the handler reads the JSON body (`jsonBodyOf`) and hands it to a domain
 * check that knows more than the document can say (a tenant's own categories, say), so that one
 * 400 lists every invalid field rather than the document's findings first and the domain's on the
 * next try. The documented schema must then say no more than that check.
 */
export function registerRoute<R extends RouteConfig>(
  app: OpenAPIHono<AppEnv>,
  route: R,
  handler: RouteHandler<R, AppEnv>,
  options: { bodyCheckedByHandler?: boolean } = {},
): void {
  const { middleware, hide, ...documented } = route;
  const responses = withPipelineProblems(route.method, documented.responses);
  if (!hide) app.openAPIRegistry.registerPath({ ...documented, responses });
  const parts = partsOf(route, options.bodyCheckedByHandler === true);
  const validate: MiddlewareHandler<AppEnv> = async (c, next) => {
    for (const { target, schema, read } of parts) {
      const value = await read(c);
      if (value === undefined) {
        c.req.addValidatedData(target, {});
        continue;
      }
      const result = schema.safeParse(value);
      if (!result.success) throw ApiError.fromZod(result.error, target);
      c.req.addValidatedData(target, result.data as object);
    }
    await next();
  };
  // Route middleware and the handler, as the router holds them: typed per route above, any input here.
  const chain: H<AppEnv, string, Input>[] = [...[middleware ?? []].flat(), validate, handler];
  app.on([route.method.toUpperCase()], [route.path.replaceAll(/\/{(.+?)}/g, '/:$1')], ...chain);
}
