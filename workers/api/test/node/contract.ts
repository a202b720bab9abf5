import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * The OpenAPI document as a contract to check answers and examples against, with Ajv. The
 * document is OpenAPI 3.0, whose schemas are nearly JSON Schema: `$ref`s are resolved, `allOf`s of
 * objects merged, and `nullable` turned into a `null` type. Objects then refuse properties the
 * document does not name (`additionalProperties: false` unless the document allows more), so an
 * answer with an undocumented field fails as surely as one that lacks a documented field.
 */

type Schema = Record<string, unknown>;

export interface Operation {
  method: string;
  /** The path as the router sees it: `/v1/{tenant}/teams`. */
  path: string;
  operationId: string;
  secured: boolean;
  parameters: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, Media> };
  responses: Record<
    string,
    { description: string; headers?: Record<string, unknown>; content?: Record<string, Media> }
  >;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
  example?: unknown;
}

export interface Media {
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}

export interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, Omit<Operation, 'method' | 'path' | 'secured'> & { security?: unknown[] }>
  >;
  components: { schemas: Record<string, Schema> };
}

export const OPERATION_METHODS = ['get', 'put', 'post', 'delete', 'patch'];

export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => OPERATION_METHODS.includes(method))
      .map(([method, operation]) => ({
        ...operation,
        parameters: operation.parameters ?? [],
        method: method.toUpperCase(),
        path: `/v1${path}`,
        secured: (operation.security?.length ?? 0) > 0,
      })),
  );
}

export class Contract {
  readonly operations: Operation[];
  readonly #ajv: Ajv;
  readonly #compiled = new Map<object, ValidateFunction>();

  constructor(readonly document: OpenApiDocument) {
    this.operations = operationsOf(document);
    this.#ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(this.#ajv);
  }

  /** The schema resolved and made strict, as answers and examples are checked against it. */
  jsonSchema(schema: Schema): Schema {
    return strict(resolve(schema, this.document, []));
  }

  /** The example of a media type: its own, or its schema's (behind `$ref`s). */
  examplesOf(media: Media): unknown[] {
    if (media.example !== undefined) return [media.example];
    if (media.examples) return Object.values(media.examples).map((e) => e.value);
    const schema = media.schema && resolveRef(media.schema, this.document);
    return schema && 'example' in schema ? [schema.example] : [];
  }

  /** Errors of `value` against `schema` (empty when it is valid). */
  errors(schema: Schema, value: unknown): string[] {
    let validate = this.#compiled.get(schema);
    if (!validate) {
      validate = this.#ajv.compile(this.jsonSchema(schema));
      this.#compiled.set(schema, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map(
      (e) => `${e.instancePath || '(root)'} ${e.message} ${JSON.stringify(e.params)}`,
    );
  }

  /** The operation a concrete request path and method reach, by its template. */
  operationFor(method: string, pathname: string): Operation | undefined {
    return this.operations.find((op) => op.method === method && templateRegex(op.path).test(pathname));
  }

  /**
   * What is wrong with an answer, by the document: an undocumented status, another content type, a
   * body that does not match the schema documented for its status, or no `API-Version` header.
   */
  async problemsOf(operation: Operation, res: Response): Promise<string[]> {
    const where = `${operation.method} ${operation.path} → ${res.status}`;
    const problems: string[] = [];
    if (!res.headers.get('API-Version')) problems.push(`${where}: no API-Version header`);
    const documented = operation.responses[String(res.status)];
    if (!documented) return [...problems, `${where}: this status is not documented`];
    for (const [name, header] of Object.entries(documented.headers ?? {})) {
      if ((header as { required?: boolean }).required && !res.headers.has(name))
        problems.push(`${where}: no ${name} header, documented as always sent`);
    }
    const text = await res.clone().text();
    if (!documented.content) {
      if (text !== '') problems.push(`${where}: documented without a body, answered with one`);
      return problems;
    }
    const type = (res.headers.get('Content-Type') ?? '').split(';')[0]?.trim() ?? '';
    const media = documented.content[type];
    if (!media) {
      return [
        ...problems,
        `${where}: answered ${type}, documented ${Object.keys(documented.content).join(', ')}`,
      ];
    }
    if (type === 'text/csv') return [...problems, ...csvProblems(where, this.examplesOf(media)[0], text)];
    if (!type.endsWith('json')) return problems;
    if (!media.schema) return [...problems, `${where}: no schema for ${type}`];
    const errors = this.errors(media.schema, JSON.parse(text));
    return [...problems, ...errors.map((e) => `${where}: ${e}`)];
  }
}

/** A CSV answer is held against its documented example: the same header row (`text()` drops a byte order mark). */
function csvProblems(where: string, example: unknown, text: string): string[] {
  if (typeof example !== 'string') return [`${where}: text/csv without an example`];
  const headerOf = (csv: string) => csv.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0];
  if (headerOf(text) !== headerOf(example))
    return [
      `${where}: CSV header ${JSON.stringify(headerOf(text))}, documented ${JSON.stringify(headerOf(example))}`,
    ];
  return [];
}

export function templateRegex(template: string): RegExp {
  const literal = (part: string) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(
    `^${template
      .split(/\{[^}]+\}/)
      .map(literal)
      .join('[^/]+')}$`,
  );
}

function resolveRef(schema: Schema, document: OpenApiDocument): Schema {
  let current = schema;
  for (let depth = 0; typeof current.$ref === 'string' && depth < 20; depth++) {
    const name = current.$ref.replace('#/components/schemas/', '');
    const target = document.components.schemas[name];
    if (!target) throw new Error(`Unresolved ${current.$ref}`);
    current = target;
  }
  return current;
}

/** Every `$ref` inlined (the document has no recursive schemas), `allOf`s of objects merged, `nullable` as a type. */
function resolve(schema: Schema, document: OpenApiDocument, seen: string[]): Schema {
  if (typeof schema.$ref === 'string') {
    if (seen.includes(schema.$ref)) throw new Error(`Recursive schema ${schema.$ref}`);
    return resolve(resolveRef(schema, document), document, [...seen, schema.$ref]);
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'example') continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, Schema>).map(([name, child]) => [
          name,
          resolve(child, document, seen),
        ]),
      );
    } else if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) {
      out[key] = resolve(value as Schema, document, seen);
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
      out[key] = (value as Schema[]).map((child) => resolve(child, document, seen));
    } else out[key] = value;
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
  }
  return mergeAllOf(out);
}

function mergeAllOf(schema: Schema): Schema {
  const parts = schema.allOf as Schema[] | undefined;
  if (!parts?.every((part) => part.type === 'object' || part.properties)) return schema;
  const { allOf: _, ...rest } = schema;
  const merged: Schema = { ...rest, type: 'object', properties: {}, required: [] };
  for (const part of parts) {
    Object.assign(merged.properties as object, part.properties);
    (merged.required as string[]).push(...((part.required as string[] | undefined) ?? []));
  }
  return merged;
}

/** Objects that name their properties take no others, unless the document says they do. */
function strict(schema: Schema): Schema {
  const out: Schema = { ...schema };
  if (out.properties) {
    out.properties = Object.fromEntries(
      Object.entries(out.properties as Record<string, Schema>).map(([name, child]) => [name, strict(child)]),
    );
    // An `anyOf` beside the properties adds conditions (contact: e-mail or phone), not properties.
    if (out.additionalProperties === undefined) out.additionalProperties = false;
  }
  if (out.items) out.items = strict(out.items as Schema);
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (out[key])
      out[key] = (out[key] as Schema[]).map((branch) =>
        branch.properties && out.properties ? branch : strict(branch),
      );
  }
  return out;
}
