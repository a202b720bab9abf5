/**
 * A local stand-in for sqld/Turso: serves the libSQL files of a data folder over Hrana 2 (HTTP + JSON),
 * so that `@libsql/client` (the `/web` build inside Workers, or the Node build with an `http:` URL)
 * reaches the same files the Node server opens directly.
 *
 * A database is addressed by a path prefix that ends in a slash, because the client resolves
 * `v2/pipeline` against its URL: `http://127.0.0.1:8080/tenants/zeist/` is `<dataDir>/tenants/zeist.db`.
 */
import { once } from 'node:events';
import { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { runPipeline } from './pipeline.ts';
import { decodePipelineRequest, ProtocolError } from './protocol.ts';
import { StreamRegistry } from './streams.ts';

const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** sqld's expiry for idle streams. */
const DEFAULT_STREAM_IDLE_MS = 10_000;
/** Lower-case segments without dots, so that a prefix can never name a file outside the data folder. */
const DATABASE_PATH = /^[a-z0-9_-]+(?:\/[a-z0-9_-]+)*$/;

export interface HranaAppOptions {
  /** Folder of the database files; a missing file (and its folder) is created on first use. */
  dataDir: string;
  /** How long a stream may sit idle between requests before it is closed and its transaction rolled back. */
  streamIdleMs?: number;
  /** The largest request body taken (default 8 MiB); larger ones are a 413 `BODY_TOO_LARGE`. */
  maxBodyBytes?: number;
}

export interface HranaServerOptions {
  dataDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  hostname?: string;
}

export interface HranaServer {
  /** Origin without a trailing slash, e.g. `http://127.0.0.1:8080`; append `/<database>/` for a client. */
  url: string;
  port: number;
  /** Stops accepting requests, lets those in flight finish, then closes every stream's connection. */
  close(): Promise<void>;
}

export function createHranaApp(options: HranaAppOptions): { app: Hono; close(): void } {
  const dataDir = resolve(options.dataDir);
  const streams = new StreamRegistry(options.streamIdleMs ?? DEFAULT_STREAM_IDLE_MS);
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const databaseFile = (path: string): string => {
    if (!DATABASE_PATH.test(path)) {
      throw new ProtocolError(
        `Invalid database path ${JSON.stringify(path)}: use segments of a-z, 0-9, _ and -, separated by /`,
        'INVALID_DATABASE_PATH',
      );
    }
    return join(dataDir, `${path}.db`);
  };

  const app = new Hono();
  app.get('/health', (c) => c.json({ status: 'ok' }));
  // The version probe of Hrana over HTTP. Only v2 is answered, so a client that probes for v3 falls back.
  app.get('/:db{.+}/v2', (c) => {
    databaseFile(c.req.param('db'));
    return c.body(null, 200);
  });
  app.post(
    '/:db{.+}/v2/pipeline',
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) =>
        c.json({ message: `Request body exceeds ${maxBodyBytes} bytes`, code: 'BODY_TOO_LARGE' }, 413),
    }),
    async (c) => {
      const file = databaseFile(c.req.param('db'));
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw new ProtocolError('The request body is not valid JSON');
      }
      return c.json(await runPipeline(streams, file, decodePipelineRequest(body)));
    },
  );
  app.notFound((c) =>
    c.json(
      {
        message: `No route for ${c.req.method} ${c.req.path}; use /<database>/v2/pipeline`,
        code: 'NOT_FOUND',
      },
      404,
    ),
  );
  // The client reads `message` and `code` from a JSON error body (as `LibsqlError.code`).
  app.onError((error, c) => {
    if (error instanceof ProtocolError) return c.json({ message: error.message, code: error.code }, 400);
    console.error('hrana: request failed', error);
    return c.json({ message: error.message, code: 'INTERNAL_ERROR' }, 500);
  });

  return { app, close: () => streams.closeAll() };
}

export async function startHranaServer(options: HranaServerOptions): Promise<HranaServer> {
  const hrana = createHranaApp({ dataDir: options.dataDir });
  const hostname = options.hostname ?? '127.0.0.1';
  const server = serve({
    hostname,
    port: options.port ?? 0,
    // The URL parser resolves `..` before Hono sees the path, which would quietly serve
    // `/tenants/../control/` as `/control/`. Refuse such a path rather than guess what was meant.
    fetch: (request, env) =>
      hasDotSegment(env.incoming.url ?? '')
        ? Response.json(
            { message: 'Database paths may not contain . or ..', code: 'INVALID_DATABASE_PATH' },
            { status: 400 },
          )
        : hrana.app.fetch(request, env),
  });
  // The Worker keeps idle connections here to reuse. Node closing them first (after 5 s by default)
  // races with a request sent on one, which workerd then fails as "Network connection lost".
  if (server instanceof Server) server.keepAliveTimeout = 120_000;
  try {
    await once(server, 'listening');
  } catch (error) {
    hrana.close();
    throw error;
  }
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The Hrana server has no TCP address');

  return {
    url: `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolveClose, rejectClose) => {
        server.close((error) => {
          hrana.close();
          if (error) rejectClose(error);
          else resolveClose();
        });
      }),
  };
}

function hasDotSegment(target: string): boolean {
  const path = target.split(/[?#]/, 1)[0] ?? '';
  return path.split('/').some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));
}
