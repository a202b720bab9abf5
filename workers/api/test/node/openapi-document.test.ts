import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, type Media, type OpenApiDocument } from './contract.ts';
import { nodeAppFixture } from './fixture.ts';

/**
 * The document itself, walked generically: a route added without a response schema, a named
 * component or an example fails here, naming the route.
 */
let fixture: Awaited<ReturnType<typeof nodeAppFixture>>;
let contract: Contract;
beforeAll(async () => {
  fixture = await nodeAppFixture();
  contract = new Contract((await (await fixture.request('/v1/openapi.json')).json()) as OpenApiDocument);
});
afterAll(() => fixture.cleanup());

/** Each JSON media type of every operation: request bodies and responses. */
function jsonMedia(): { where: string; media: Media }[] {
  return contract.operations.flatMap((op) => [
    ...Object.entries(op.requestBody?.content ?? {}).map(([type, media]) => ({
      where: `${op.method} ${op.path} request ${type}`,
      media,
    })),
    ...Object.entries(op.responses).flatMap(([status, response]) =>
      Object.entries(response.content ?? {}).map(([type, media]) => ({
        where: `${op.method} ${op.path} ${status} ${type}`,
        media,
      })),
    ),
  ]);
}

describe('the OpenAPI document, route by route', () => {
  it('documents a body for every answer but 204 and 304, as a named component', () => {
    const missing: string[] = [];
    for (const op of contract.operations) {
      for (const [status, response] of Object.entries(op.responses)) {
        const where = `${op.method} ${op.path} ${status}`;
        if (status === '204' || status === '304') {
          if (response.content) missing.push(`${where}: has a body`);
          continue;
        }
        const content = Object.entries(response.content ?? {});
        if (content.length === 0) missing.push(`${where}: no content`);
        for (const [type, media] of content) {
          if (!type.endsWith('json')) continue;
          if (typeof media.schema?.$ref !== 'string') missing.push(`${where} ${type}: not a named component`);
          if (status.startsWith('4') || status.startsWith('5')) {
            if (type !== 'application/problem+json' || media.schema?.$ref !== '#/components/schemas/Problem')
              missing.push(`${where}: not a Problem`);
          }
        }
      }
    }
    expect(missing, "Every answer documents its body as a named schema (.openapi('Name'))").toEqual([]);
    expect(contract.operations.length).toBeGreaterThanOrEqual(30);
  });

  it('has no schema that takes any object (`unknown` records) and no component that is null itself', () => {
    const loose: string[] = [];
    const walk = (schema: unknown, where: string): void => {
      if (typeof schema !== 'object' || schema === null) return;
      const s = schema as Record<string, unknown>;
      if (s.type === 'object' && !s.properties && typeof s.additionalProperties !== 'object' && !s.enum) {
        loose.push(`${where}: an object without properties`);
      }
      const extra = s.additionalProperties;
      if (
        extra === true ||
        (typeof extra === 'object' && extra !== null && !('type' in extra) && !('$ref' in extra))
      )
        loose.push(`${where}: additionalProperties of any kind`);
      for (const [key, child] of Object.entries(s)) {
        if (key === 'example' || key === 'examples') continue;
        if (Array.isArray(child)) {
          for (const [i, c] of child.entries()) walk(c, `${where}.${key}.${i}`);
        } else walk(child, `${where}.${key}`);
      }
    };
    for (const [name, schema] of Object.entries(contract.document.components.schemas)) {
      walk(schema, name);
      if (schema.nullable === true) loose.push(`${name}: the component itself is nullable`);
    }
    expect(loose, 'Document what an answer holds: no z.record(z.string(), z.unknown())').toEqual([]);
  });

  it('has a complete example for every request body and every answer, valid against its schema', () => {
    const problems: string[] = [];
    for (const { where, media } of jsonMedia()) {
      const examples = contract.examplesOf(media);
      if (examples.length === 0) problems.push(`${where}: no example`);
      if (!media.schema) continue;
      for (const example of examples)
        problems.push(...contract.errors(media.schema, example).map((e) => `${where}: ${e}`));
    }
    expect(problems, 'Give each body and answer a complete example (.openapi({ example }))').toEqual([]);
  });

  it('has a valid example for every path, query and header parameter', () => {
    const problems: string[] = [];
    for (const op of contract.operations) {
      for (const parameter of op.parameters) {
        const where = `${op.method} ${op.path} ${parameter.in}.${parameter.name}`;
        const example = parameter.example ?? parameter.schema?.example;
        if (example === undefined) {
          // An optional filter may go without; what a call needs may not.
          if (parameter.required) problems.push(`${where}: no example`);
          continue;
        }
        const schema = parameter.schema ?? {};
        const value = parameter.in === 'query' && schema.type === 'integer' ? Number(example) : example;
        problems.push(...contract.errors(schema, value).map((e) => `${where}: ${e}`));
      }
    }
    expect(problems).toEqual([]);
  });

  it('says what the API checks of bodies: unknown fields refused, and the conditions it enforces', () => {
    const schemas = contract.document.components.schemas;
    const bodies = contract.operations.flatMap((op) =>
      Object.values(op.requestBody?.content ?? {})
        .map((media) => media.schema?.$ref)
        .filter((ref): ref is string => typeof ref === 'string')
        .map((ref) => ({ op: `${op.method} ${op.path}`, name: ref.replace('#/components/schemas/', '') })),
    );
    // Every object in a request body, at any depth, refuses fields it does not name, as the API does.
    const open: string[] = [];
    const walk = (schema: Record<string, unknown> | undefined, where: string): void => {
      let s = schema;
      while (typeof s?.$ref === 'string') s = schemas[s.$ref.replace('#/components/schemas/', '')];
      if (!s) return;
      if ((s.type === 'object' || s.properties) && s.additionalProperties !== false) open.push(where);
      for (const [name, child] of Object.entries(
        (s.properties ?? {}) as Record<string, Record<string, unknown>>,
      ))
        walk(child, `${where}.${name}`);
      if (s.items) walk(s.items as Record<string, unknown>, `${where}[]`);
      for (const branch of (s.anyOf ?? []) as Record<string, unknown>[])
        if (!branch.properties) walk(branch, where);
    };
    for (const { op, name } of bodies) walk(schemas[name], `${op} ${name}`);
    expect(open).toEqual([]);
    expect(schemas.HelpRequestContact?.anyOf).toEqual([{ required: ['email'] }, { required: ['phone'] }]);
    expect(schemas.RequestTransition?.anyOf).toContainEqual(
      expect.objectContaining({ required: ['providerId'] }),
    );
    expect(schemas.TenantUpdate?.minProperties).toBe(1);
    expect(schemas.TeamPatch?.minProperties).toBe(1);
    const tier = schemas.TriageTierInput as { properties: { name: { properties: Record<string, object> } } };
    expect(tier.properties.name.properties.nl).toMatchObject({ minLength: 1 });
    const lookup = contract.operations.find((op) => op.operationId === 'lookupPostcode');
    expect(lookup?.parameters.find((p) => p.name === 'postcode')?.schema).toHaveProperty('pattern');
  });
});
