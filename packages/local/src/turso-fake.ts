/**
 * A local fake of the two Turso Platform API endpoints the tenant provisioner uses
 * (https://docs.turso.tech/api-reference/databases), answering as Turso documents them:
 *
 * - `POST /v1/organizations/{organization}/databases` with `{ name, group }` →
 *   200 `{ database: { DbId, Hostname, Name } }`, 409 when the name is taken, 400 on a bad name
 * - `GET /v1/organizations/{organization}/databases/{name}` → 200 `{ database: { ... } }` or 404
 *
 * Every error is JSON `{ error }`; a missing or wrong bearer token is 401. Databases live in memory only.
 */
import { Hono } from 'hono';

export interface TursoFakeOptions {
  organization: string;
  /** The only bearer token the fake accepts. */
  apiToken: string;
  /** Hostnames are `${name}-${organization}.${hostnameSuffix}`; default 'turso.test'. */
  hostnameSuffix?: string;
  /** Called after a database was created (not on a 409). */
  onCreate?: (name: string) => void;
}

interface FakeDatabase {
  DbId: string;
  Hostname: string;
  Name: string;
  group: string;
}

/** Turso's rule for database names. */
const DATABASE_NAME = /^[a-z0-9-]{1,64}$/;

export function createTursoFake(options: TursoFakeOptions): { app: Hono; databases(): string[] } {
  const suffix = options.hostnameSuffix ?? 'turso.test';
  const databases = new Map<string, FakeDatabase>();
  const app = new Hono();

  app.use('/v1/*', async (c, next) => {
    if (c.req.header('Authorization') !== `Bearer ${options.apiToken}`) {
      return c.json({ error: 'could not parse jwt id' }, 401);
    }
    await next();
  });
  app.use('/v1/organizations/:organization/*', async (c, next) => {
    if (c.req.param('organization') !== options.organization) {
      return c.json({ error: `organization ${c.req.param('organization')} not found` }, 404);
    }
    await next();
  });

  app.post('/v1/organizations/:organization/databases', async (c) => {
    const body: unknown = await c.req.json().catch(() => null);
    const { name, group } = (typeof body === 'object' && body !== null ? body : {}) as Record<
      string,
      unknown
    >;
    if (typeof name !== 'string' || !DATABASE_NAME.test(name)) {
      return c.json(
        { error: 'invalid database name: use at most 64 lowercase letters, numbers and dashes' },
        400,
      );
    }
    if (typeof group !== 'string' || group === '') {
      return c.json({ error: 'a group is required' }, 400);
    }
    if (databases.has(name)) {
      return c.json({ error: `database with name ${name} already exists` }, 409);
    }
    const database: FakeDatabase = {
      DbId: crypto.randomUUID(),
      Hostname: `${name}-${options.organization}.${suffix}`,
      Name: name,
      group,
    };
    databases.set(name, database);
    options.onCreate?.(name);
    const { DbId, Hostname, Name } = database;
    return c.json({ database: { DbId, Hostname, Name } }, 200);
  });

  app.get('/v1/organizations/:organization/databases/:name', (c) => {
    const database = databases.get(c.req.param('name'));
    if (!database) return c.json({ error: `database ${c.req.param('name')} not found` }, 404);
    return c.json({ database }, 200);
  });

  app.notFound((c) => c.json({ error: 'not found' }, 404));

  return { app, databases: () => [...databases.keys()] };
}
