/**
 * Tenant databases as Turso databases, created through the Turso Platform API
 * (https://docs.turso.tech/api-reference). Only global `fetch` and `AbortSignal.timeout` are used,
 * so this runs in a Worker as well as in Node; the client that opens a database is injected,
 * because the two make libSQL clients differently.
 */
import type { Client } from '@libsql/client';
import { z } from 'zod';
import type { DatabaseProvisioner } from '../provision.ts';

export interface TursoProvisionerOptions {
  /** Organization slug, as in `/v1/organizations/{organization}/...`. */
  organization: string;
  /** Group every tenant database is created in; its database token opens them all. */
  group: string;
  /** Platform API token. Sent only as a bearer token, never put in an error. */
  apiToken: string;
  /** base URL of the Platform API, default https://api.turso.tech */
  apiBaseUrl?: string;
  /** database name for a tenant, default `wijkteams-${slug}` */
  databaseName?: (slug: string) => string;
  fetch?: typeof fetch;
  /** opens a client for a libsql:// URL with the group's database token; injected because the Worker and Node make clients differently */
  openClient: (databaseUrl: string) => Client;
  /** Bound on each Platform API call, including reading its body. Default 10 seconds. */
  timeoutMs?: number;
}

/** A Platform API call answered with an unexpected status or body. */
export class TursoApiError extends Error {
  override readonly name = 'TursoApiError';

  constructor(
    /** HTTP status of Turso's answer. */
    readonly status: number,
    /** Turso's `error` message, or a description of what was wrong with the answer. */
    readonly tursoError: string,
    operation: string,
  ) {
    super(`Turso Platform API: ${operation} answered ${status}: ${tursoError}`);
  }
}

const DEFAULT_API_BASE_URL = 'https://api.turso.tech';
const DEFAULT_TIMEOUT_MS = 10_000;

/** A bare host name, so that `libsql://{Hostname}` can never become a URL with a path or credentials. */
const hostname = z.string().regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i);

/** `POST /v1/organizations/{organization}/databases` → `{ database: { DbId, Hostname, Name } }`. */
const createdDatabase = z.object({
  database: z.object({ DbId: z.string().min(1), Hostname: hostname, Name: z.string().min(1) }),
});

/** `GET /v1/organizations/{organization}/databases/{name}` → `{ database: { Name, DbId, Hostname, group, ... } }`. */
const retrievedDatabase = z.object({
  database: z.object({
    DbId: z.string().min(1),
    Hostname: hostname,
    Name: z.string().min(1),
    group: z.string().optional(),
  }),
});

const errorBody = z.object({ error: z.string() });

export function tursoProvisioner(options: TursoProvisionerOptions): DatabaseProvisioner {
  const base = (options.apiBaseUrl ?? DEFAULT_API_BASE_URL).replace(/\/+$/, '');
  const databasesUrl = `${base}/v1/organizations/${encodeURIComponent(options.organization)}/databases`;
  const databaseName = options.databaseName ?? ((slug: string) => `wijkteams-${slug}`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // A wrapper rather than a bare reference: the Workers runtime rejects a detached `fetch`.
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init));

  /** One bounded call; resolves with the status and the parsed JSON body (null if there is none). */
  async function call(
    operation: string,
    url: string,
    request: { method: 'GET' } | { method: 'POST'; json: unknown },
  ): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${options.apiToken}`,
      Accept: 'application/json',
    };
    if ('json' in request) headers['Content-Type'] = 'application/json';
    try {
      const response = await doFetch(url, {
        method: request.method,
        headers,
        ...('json' in request ? { body: JSON.stringify(request.json) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = null;
      }
      return { status: response.status, body };
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new Error(
        timedOut
          ? `Turso Platform API: ${operation} did not answer within ${timeoutMs} ms`
          : `Turso Platform API: ${operation} failed: ${scrub(error instanceof Error ? error.message : String(error))}`,
        { cause: error },
      );
    }
  }

  function failure(operation: string, status: number, body: unknown): TursoApiError {
    const parsed = errorBody.safeParse(body);
    return new TursoApiError(
      status,
      scrub(parsed.success ? parsed.data.error : 'no error message'),
      operation,
    );
  }

  function validated<T>(operation: string, status: number, schema: z.ZodType<T>, body: unknown): T {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new TursoApiError(status, 'the answer does not have the documented shape', operation);
    }
    return parsed.data;
  }

  /** Turso does not echo the token, but an error message must never be the way it leaks. */
  function scrub(message: string): string {
    return options.apiToken ? message.replaceAll(options.apiToken, '[api token]') : message;
  }

  async function existing(name: string): Promise<string> {
    const operation = `GET database ${name}`;
    const { status, body } = await call(operation, `${databasesUrl}/${encodeURIComponent(name)}`, {
      method: 'GET',
    });
    if (status < 200 || status > 299) throw failure(operation, status, body);
    const { database } = validated(operation, status, retrievedDatabase, body);
    if (database.Name !== name) {
      throw new TursoApiError(status, `answered for database ${database.Name}`, operation);
    }
    if (database.group !== undefined && database.group !== options.group) {
      throw new TursoApiError(
        status,
        `database exists in group ${database.group}, not in group ${options.group}`,
        operation,
      );
    }
    return `libsql://${database.Hostname}`;
  }

  return {
    async create(slug) {
      const name = databaseName(slug);
      const operation = `create database ${name}`;
      const { status, body } = await call(operation, databasesUrl, {
        method: 'POST',
        json: { name, group: options.group },
      });
      // Already there, e.g. from an onboarding run that failed after this step: reuse it.
      if (status === 409) return existing(name);
      if (status < 200 || status > 299) throw failure(operation, status, body);
      const { database } = validated(operation, status, createdDatabase, body);
      if (database.Name !== name) {
        throw new TursoApiError(status, `created database ${database.Name}`, operation);
      }
      return `libsql://${database.Hostname}`;
    },
    open: (url) => options.openClient(url),
  };
}
