import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, nodeAppFixture } from './fixture.ts';
import { bearer } from './helpers.ts';

/**
 * No 5xx from bad input, on every route there is: the routes and their body schemas come from the
 * OpenAPI document (which isolation.test.ts checks against the router), and each gets malformed
 * bodies, parameters, queries and headers, with the platform admin key (so that the checks behind
 * authentication are reached) and without one.
 */
type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
};
interface Operation {
  method: string;
  path: string;
  bodyTypes: string[];
  bodySchema: Schema | undefined;
  query: string[];
  headers: string[];
}

let fixture: Awaited<ReturnType<typeof nodeAppFixture>>;
let operations: Operation[];
let components: Record<string, Schema>;

const resolve = (schema: Schema | undefined): Schema | undefined => {
  let s = schema;
  for (let depth = 0; s?.$ref && depth < 10; depth++) s = components[s.$ref.split('/').at(-1) ?? ''];
  const variant = s?.allOf?.[0] ?? s?.anyOf?.[0] ?? s?.oneOf?.[0];
  return variant && !s?.properties ? resolve(variant) : s;
};

beforeAll(async () => {
  fixture = await nodeAppFixture({
    LOOKUP_RATE_LIMIT_PER_MINUTE: '1000000',
    AUTH_FAILURE_LIMIT_PER_MINUTE: '1000000',
  });
  const document = (await (await fixture.request('/v1/openapi.json')).json()) as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: { in: string; name: string }[];
          requestBody?: { content: Record<string, { schema: Schema }> };
        }
      >
    >;
    components: { schemas: Record<string, Schema> };
  };
  components = document.components.schemas;
  operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path: `/v1${path}`,
      bodyTypes: Object.keys(operation.requestBody?.content ?? {}),
      bodySchema: resolve(operation.requestBody?.content['application/json']?.schema),
      query: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      headers: (operation.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name),
    })),
  );
});
afterAll(() => fixture.cleanup());

const NUL = 'a\u0000b';
const HUGE = 'x'.repeat(40_000);
/** Path parameter values that no route should choke on. */
const BAD_SEGMENTS = [
  '%00',
  encodeURIComponent(NUL),
  'x'.repeat(2_000),
  '%ZZ',
  '..',
  '%F0%9F%92%A9',
  "'%20OR%201=1",
];

function fill(path: string, value?: string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (value !== undefined) return value;
    if (name === 'tenant') return 'zeist';
    if (name.endsWith('Id')) return `${name.slice(0, -2)}_${'0'.repeat(26)}`;
    return 'x';
  });
}

/** A value of the wrong type for a schema, and a few that are the right type but hostile. */
function wrongValues(schema: Schema | undefined): unknown[] {
  const type = resolve(schema)?.type;
  const values: unknown[] = [null, NUL, HUGE, { nested: { deeper: [1, 2, 3] } }];
  if (type === 'string') values.push(12345, true, [NUL]);
  else if (type === 'integer' || type === 'number') values.push('12', 1.5, -1e308, 2 ** 64);
  else if (type === 'boolean') values.push('yes', 1);
  else if (type === 'array')
    values.push(
      {},
      'x',
      ['', 'x', '*', 'null', NUL],
      [12345],
      Array.from({ length: 2_000 }, () => NUL),
    );
  else values.push('x', 1, []);
  return values;
}

function bodies(op: Operation): { body: string; type: string }[] {
  const asJson = (value: unknown) => ({ body: JSON.stringify(value), type: 'application/json' });
  const out = [
    { body: '{"a":', type: 'application/json' },
    { body: '\u0000', type: 'application/json' },
    { body: '', type: 'application/json' },
    { body: 'name=x', type: 'application/x-www-form-urlencoded' },
    { body: '<a/>', type: 'application/xml' },
    { body: '{}', type: 'text/plain' },
    { body: '{}', type: '' },
    { body: 'teamId,postcode\n\u0000,\u0000', type: 'text/csv' },
    asJson(null),
    asJson([]),
    asJson(42),
    asJson('x'),
    asJson({}),
    asJson({ [NUL]: NUL }),
    asJson(JSON.parse(`{${Array.from({ length: 500 }, (_, i) => `"k${i}":${i}`).join(',')}}`)),
  ];
  const properties = op.bodySchema?.properties ?? {};
  for (const [name, schema] of Object.entries(properties)) {
    for (const value of wrongValues(schema)) out.push(asJson({ [name]: value }));
    // One level down: each field of a nested object wrong on its own.
    for (const [inner, innerSchema] of Object.entries(resolve(schema)?.properties ?? {})) {
      for (const value of wrongValues(innerSchema)) out.push(asJson({ [name]: { [inner]: value } }));
    }
    // Every other field wrong at once, too.
    out.push(
      asJson(Object.fromEntries(Object.keys(properties).map((key) => [key, key === name ? NUL : 12345]))),
    );
  }
  return out;
}

async function send(
  op: Operation,
  path: string,
  init: { body?: string; type?: string; auth: boolean; headers?: Record<string, string> },
) {
  const headers: Record<string, string> = { ...(init.auth ? bearer(ADMIN_KEY) : {}), ...init.headers };
  if (init.type) headers['Content-Type'] = init.type;
  for (const header of op.headers)
    headers[header] ??=
      header === 'Idempotency-Key' ? `fuzz-${crypto.randomUUID()}` : NUL.replace('\u0000', '');
  const withBody = op.method !== 'GET' && op.method !== 'DELETE' && init.body !== undefined;
  const res = await fixture.request(path, {
    method: op.method,
    headers,
    ...(withBody ? { body: init.body } : {}),
  });
  const type = res.headers.get('Content-Type') ?? '';
  return { status: res.status, problem: res.status >= 400 ? type === 'application/problem+json' : true };
}

describe('malformed input on every route of the document', () => {
  it('is answered with a 4xx problem, never a 5xx', async () => {
    expect(operations.length).toBeGreaterThan(30);
    const failures: string[] = [];
    let sent = 0;
    const check = (label: string, outcome: { status: number; problem: boolean }) => {
      sent++;
      if (outcome.status >= 500 || !outcome.problem) failures.push(`${label}: ${outcome.status}`);
    };
    for (const op of operations) {
      const path = fill(op.path);
      for (const auth of [true, false]) {
        if (op.bodyTypes.length > 0) {
          for (const { body, type } of bodies(op)) {
            const outcome = await send(op, path, { body, type, auth });
            if (outcome.status < 400) continue; // a body that happens to be acceptable is not the point
            check(`${op.method} ${op.path} ${type} ${body.slice(0, 60)}`, outcome);
          }
        }
        for (const segment of BAD_SEGMENTS) {
          if (!op.path.includes('{')) continue;
          const outcome = await send(op, fill(op.path, segment), {
            body: '{}',
            type: 'application/json',
            auth,
          });
          check(`${op.method} ${op.path} with ${segment.slice(0, 20)}`, outcome);
        }
        const queries = [
          ...op.query.flatMap((name) => [
            `${name}=${encodeURIComponent(NUL)}`,
            `${name}=${'9'.repeat(400)}`,
            `${name}=-1`,
            `${name}=a&${name}=b`,
            `${name}=${encodeURIComponent(HUGE)}`,
          ]),
          'unknown=1',
          '%ZZ=%ZZ',
        ];
        for (const query of queries) {
          const outcome = await send(op, `${path}?${query}`, { body: '{}', type: 'application/json', auth });
          if (outcome.status < 400) continue;
          check(`${op.method} ${op.path}?${query.slice(0, 40)}`, outcome);
        }
        for (const header of op.headers) {
          for (const value of ['', 'x'.repeat(5_000), '\u00e9\u00e9']) {
            const outcome = await send(op, path, {
              body: '{}',
              type: 'application/json',
              auth,
              headers: { [header]: value },
            });
            if (outcome.status < 400) continue;
            check(`${op.method} ${op.path} ${header}: ${value.slice(0, 10)}`, outcome);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(1_000);
  }, 300_000);
});
