import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, createClient as createNodeClient, LibsqlError } from '@libsql/client';
import { createClient as createWebClient } from '@libsql/client/web';
import Database from 'libsql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHranaApp, type HranaServer, startHranaServer } from '../src/hrana/server.ts';

type Flavour = 'web' | 'node';

let dataDir: string;
let server: HranaServer;
const openClients: Client[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hrana-test-'));
  server = await startHranaServer({ dataDir, port: 0 });
});

afterAll(async () => {
  for (const client of openClients) client.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A real `@libsql/client` for the database at `<dataDir>/<db>.db`. */
function connect(flavour: Flavour, db: string, intMode: 'number' | 'bigint' = 'number'): Client {
  const url = `${server.url}/${db}/`;
  const client = flavour === 'web' ? createWebClient({ url, intMode }) : createNodeClient({ url, intMode });
  openClients.push(client);
  return client;
}

async function count(client: Client, table: string): Promise<number> {
  const result = await client.execute(`SELECT count(*) AS n FROM ${table}`);
  return Number(result.rows[0]?.n);
}

function bytes(value: unknown): number[] {
  if (!(value instanceof ArrayBuffer)) throw new Error(`expected an ArrayBuffer, got ${String(value)}`);
  return Array.from(new Uint8Array(value));
}

/** One raw Hrana pipeline call, for what `@libsql/client` never sends. */
async function pipeline(
  db: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${server.url}/${db}/v2/pipeline`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.headers.get('content-type')).toBe('application/json');
  const json: unknown = await response.json();
  if (typeof json !== 'object' || json === null) throw new Error('expected a JSON object');
  return { status: response.status, json: { ...json } };
}

describe.each<Flavour>(['web', 'node'])('@libsql/client (%s build) over Hrana', (flavour) => {
  it('executes with positional and named arguments and round-trips every value type', async () => {
    const db = connect(flavour, `${flavour}/values`, 'bigint');
    await db.execute(
      'CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT, big INTEGER, ratio REAL, data BLOB, note TEXT)',
    );

    const first = await db.execute({
      sql: 'INSERT INTO things (name, big, ratio, data, note) VALUES (?, ?, ?, ?, ?)',
      args: ['één ✓', 9223372036854775807n, 1.5, new Uint8Array([0, 1, 254, 255]), null],
    });
    expect(first.rowsAffected).toBe(1);
    expect(first.lastInsertRowid).toBe(1n);
    // Named arguments may be given with or without their prefix.
    const second = await db.execute({
      sql: 'INSERT INTO things (name, big, ratio) VALUES (:name, $big, @ratio)',
      args: { name: 'two', $big: -9223372036854775808n, '@ratio': 2 },
    });
    expect(second.lastInsertRowid).toBe(2n);

    const result = await db.execute('SELECT id, name, big, ratio, data, note FROM things ORDER BY id');
    expect(result.columns).toEqual(['id', 'name', 'big', 'ratio', 'data', 'note']);
    expect(result.columnTypes).toEqual(['INTEGER', 'TEXT', 'INTEGER', 'REAL', 'BLOB', 'TEXT']);
    expect(result.rowsAffected).toBe(0);
    const [one, two] = result.rows;
    expect(one).toMatchObject({ id: 1n, name: 'één ✓', big: 9223372036854775807n, ratio: 1.5, note: null });
    expect(bytes(one?.data)).toEqual([0, 1, 254, 255]);
    expect(two).toMatchObject({ id: 2n, name: 'two', big: -9223372036854775808n, ratio: 2, data: null });

    const exact = await db.execute({
      sql: 'SELECT ? + 1 AS next, typeof(?) AS type',
      args: [9007199254740992n, 2.5],
    });
    expect(exact.rows[0]).toMatchObject({ next: 9007199254740993n, type: 'real' });
  });

  it('reports affected rows only for statements that changed rows, and rowids only for inserts', async () => {
    const db = connect(flavour, `${flavour}/counts`);
    await db.execute('CREATE TABLE marks (id INTEGER PRIMARY KEY, seen INTEGER)');
    await db.batch(['INSERT INTO marks (seen) VALUES (0)', 'INSERT INTO marks (seen) VALUES (0)']);

    const update = await db.execute('UPDATE marks SET seen = 1');
    expect(update.rowsAffected).toBe(2);
    expect(update.lastInsertRowid).toBeUndefined();
    const select = await db.execute('SELECT * FROM marks');
    expect(select.rowsAffected).toBe(0);
    const returning = await db.execute('INSERT INTO marks (seen) VALUES (5) RETURNING id');
    expect(returning.rows[0]?.id).toBe(3);
    expect(returning.rowsAffected).toBe(1);
  });

  it('makes a write batch atomic: a failing third statement leaves nothing of the first two', async () => {
    const db = connect(flavour, `${flavour}/batch`);
    await db.execute('CREATE TABLE ledger (id INTEGER PRIMARY KEY, ref TEXT UNIQUE)');
    const insert = (ref: string) => ({ sql: 'INSERT INTO ledger (ref) VALUES (?)', args: [ref] });

    await expect(db.batch([insert('a'), insert('b'), insert('a')], 'write')).rejects.toMatchObject({
      code: expect.stringMatching(/^SQLITE_CONSTRAINT/),
    });
    expect(await count(db, 'ledger')).toBe(0);

    const results = await db.batch([insert('a'), insert('b'), 'SELECT count(*) AS n FROM ledger'], 'write');
    expect(results.map((result) => result.rowsAffected)).toEqual([1, 1, 0]);
    expect(results[2]?.rows[0]?.n).toBe(2);
  });

  it('runs an interactive transaction on one connection across requests, then commits', async () => {
    const db = connect(flavour, `${flavour}/tx`);
    const other = connect(flavour, `${flavour}/tx`);
    await db.execute('CREATE TABLE accounts (owner TEXT PRIMARY KEY)');

    const tx = await db.transaction('write');
    await tx.execute({ sql: 'INSERT INTO accounts VALUES (?)', args: ['ann'] });
    await tx.execute({ sql: 'INSERT INTO accounts VALUES (?)', args: ['bob'] });
    expect(Number((await tx.execute('SELECT count(*) AS n FROM accounts')).rows[0]?.n)).toBe(2);
    expect(await count(other, 'accounts')).toBe(0);
    await tx.commit();

    expect(await count(other, 'accounts')).toBe(2);
  });

  it('rolls back an interactive transaction', async () => {
    const db = connect(flavour, `${flavour}/rollback`);
    await db.execute('CREATE TABLE accounts (owner TEXT PRIMARY KEY)');
    await db.execute("INSERT INTO accounts VALUES ('ann')");

    const tx = await db.transaction('write');
    await tx.execute("INSERT INTO accounts VALUES ('carl')");
    await tx.execute("DELETE FROM accounts WHERE owner = 'ann'");
    await tx.rollback();

    const rows = await db.execute('SELECT owner FROM accounts');
    expect(rows.rows.map((row) => row.owner)).toEqual(['ann']);
  });

  it('surfaces a unique violation as a LibsqlError with a SQLITE_CONSTRAINT code', async () => {
    const db = connect(flavour, `${flavour}/constraint`);
    await db.execute('CREATE TABLE users (email TEXT UNIQUE)');
    await db.execute("INSERT INTO users VALUES ('a@example.nl')");

    const duplicate = db.execute("INSERT INTO users VALUES ('a@example.nl')");
    await expect(duplicate).rejects.toBeInstanceOf(LibsqlError);
    await expect(duplicate).rejects.toMatchObject({
      code: expect.stringMatching(/^SQLITE_CONSTRAINT/),
      message: expect.stringContaining('UNIQUE constraint failed: users.email'),
    });
  });

  it('fails a syntax error promptly and keeps serving the client', async () => {
    const db = connect(flavour, `${flavour}/syntax`);
    await expect(db.execute('SELEC 1')).rejects.toMatchObject({
      code: 'SQLITE_ERROR',
      message: expect.stringContaining('syntax error'),
    });
    expect((await db.execute('SELECT 1 AS one')).rows[0]?.one).toBe(1);
  });

  it('checks arguments against the parameters instead of binding what it can', async () => {
    const db = connect(flavour, `${flavour}/args`);
    const reused = await db.execute({
      sql: 'SELECT :a AS a, :b AS b, :a AS again',
      args: { a: 1, ':b': 'two' },
    });
    expect(reused.rows[0]).toMatchObject({ a: 1, b: 'two', again: 1 });

    // Named values for a `?` would make libsql abort the whole process; it must be a plain error.
    await expect(db.execute({ sql: 'SELECT ?', args: { a: 1 } })).rejects.toMatchObject({
      code: 'ARGS_INVALID',
    });
    await expect(db.execute({ sql: 'SELECT ?, ?', args: [1] })).rejects.toMatchObject({
      code: 'ARGS_INVALID',
    });
    await expect(db.execute({ sql: 'SELECT ?', args: [1, 2] })).rejects.toMatchObject({
      code: 'ARGS_INVALID',
    });
  });

  it('refuses several statements in one execute, and runs them all with executeMultiple', async () => {
    const db = connect(flavour, `${flavour}/sequence`);
    await expect(db.execute('SELECT 1; SELECT 2')).rejects.toMatchObject({ code: 'SQL_MANY_STATEMENTS' });

    await db.executeMultiple(`
      CREATE TABLE seq_a (x TEXT);
      CREATE TABLE seq_b (x TEXT); -- a comment; with a semicolon
      CREATE TRIGGER copy_a AFTER INSERT ON seq_a BEGIN
        INSERT INTO seq_b VALUES (new.x || ';');
        SELECT CASE WHEN 1 THEN 1 END;
      END;
      INSERT INTO seq_a VALUES ('a;b');
    `);
    expect((await db.execute('SELECT x FROM seq_b')).rows.map((row) => row.x)).toEqual(['a;b;']);
  });
});

describe('concurrency', () => {
  it('lands every row from 20 clients inserting 25 rows each at the same time', async () => {
    await connect('web', 'load').execute('CREATE TABLE hits (client INTEGER, n INTEGER)');

    await Promise.all(
      Array.from({ length: 20 }, async (_, c) => {
        const client = connect(c % 2 === 0 ? 'web' : 'node', 'load');
        for (let n = 0; n < 25; n += 1) {
          await client.execute({ sql: 'INSERT INTO hits VALUES (?, ?)', args: [c, n] });
        }
      }),
    );

    const check = connect('node', 'load');
    expect(await count(check, 'hits')).toBe(500);
    expect((await check.execute('SELECT count(DISTINCT client) AS n FROM hits')).rows[0]?.n).toBe(20);
  });

  it('makes a writer wait for an open write transaction without stalling other requests', async () => {
    const holder = connect('web', 'locks');
    const waiter = connect('node', 'locks');
    const reader = connect('web', 'locks');
    await holder.execute('CREATE TABLE t (x TEXT)');

    const tx = await holder.transaction('write');
    await tx.execute("INSERT INTO t VALUES ('held')");
    let landed = false;
    const waiting = waiter.execute("INSERT INTO t VALUES ('waited')").then(() => {
      landed = true;
    });

    // The server keeps answering while the insert waits for the lock.
    expect(await count(reader, 't')).toBe(0);
    await sleep(150);
    expect(landed).toBe(false);

    await tx.commit();
    await waiting;
    expect(await count(reader, 't')).toBe(2);
  });

  it('gives up waiting for a lock after a bounded time, and then refuses that stream', async () => {
    const holder = connect('web', 'stuck');
    await holder.execute('CREATE TABLE t (x TEXT)');
    const tx = await holder.transaction('write');
    await tx.execute("INSERT INTO t VALUES ('held')");

    const insert = { type: 'execute', stmt: { sql: "INSERT INTO t VALUES ('stuck')" } };
    const started = Date.now();
    const first = await pipeline('stuck', { baton: null, requests: [insert] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
    expect(first.json.results).toMatchObject([{ type: 'error', error: { code: 'SQLITE_BUSY' } }]);

    await tx.commit();
    // The statement that gave up stays active inside libsql, so a later write on that connection
    // would report success without ever committing; it must fail instead.
    const second = await pipeline('stuck', {
      baton: first.json.baton,
      requests: [insert, { type: 'close' }],
    });
    expect(second.json.results).toMatchObject([
      { type: 'error', error: { code: 'SQLITE_BUSY' } },
      { type: 'ok' },
    ]);
    expect(await count(holder, 't')).toBe(1);
  }, 15_000);
});

describe('databases', () => {
  it('keeps databases under different prefixes apart, in files under the data folder', async () => {
    const zeist = connect('web', 'tenants/zeist');
    const utrecht = connect('node', 'tenants/utrecht');
    for (const db of [zeist, utrecht]) await db.execute('CREATE TABLE clients (name TEXT)');
    await zeist.batch(["INSERT INTO clients VALUES ('z1')", "INSERT INTO clients VALUES ('z2')"]);
    await utrecht.execute("INSERT INTO clients VALUES ('u1')");

    expect(await count(zeist, 'clients')).toBe(2);
    expect(await count(utrecht, 'clients')).toBe(1);

    // It is the very file that an embedded connection opens.
    const file = new Database(join(dataDir, 'tenants', 'zeist.db'));
    try {
      expect(file.prepare('SELECT name FROM clients ORDER BY name').raw(true).all([])).toEqual([
        ['z1'],
        ['z2'],
      ]);
    } finally {
      file.close();
    }
  });
});

describe('HTTP surface', () => {
  function rawRequest(method: string, path: string, body = ''): Promise<{ status: number; body: string }> {
    // node:http sends `path` verbatim, where fetch() would resolve `..` before sending.
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          method,
          path,
          headers: { 'content-type': 'application/json' },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('answers health and version probes, and 404 elsewhere', async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect((await fetch(`${server.url}/control/v2`)).status).toBe(200);
    expect((await fetch(`${server.url}/control/v3-protobuf`)).status).toBe(404);
    expect((await fetch(`${server.url}/v2/pipeline`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('rejects database paths that could leave the data folder', async () => {
    const empty = JSON.stringify({ baton: null, requests: [] });
    for (const path of [
      '/tenants/../escape/v2/pipeline',
      '/tenants/%2e%2e/escape/v2/pipeline',
      '/./escape/v2/pipeline',
    ]) {
      expect(await rawRequest('POST', path, empty)).toMatchObject({ status: 400 });
    }
    for (const path of [
      '//escape/v2/pipeline',
      '/Escape/v2/pipeline',
      '/tenants%2F..%2Fescape/v2/pipeline',
    ]) {
      const response = await rawRequest('POST', path, empty);
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ code: 'INVALID_DATABASE_PATH' });
    }
    expect(existsSync(join(dataDir, 'escape.db'))).toBe(false);
    expect(existsSync(join(dataDir, 'tenants', 'escape.db'))).toBe(false);
  });

  it('speaks the wire format: integers as decimal strings, blobs as base64', async () => {
    const { status, json } = await pipeline('wire', {
      baton: null,
      requests: [
        {
          type: 'execute',
          stmt: { sql: "SELECT 9223372036854775807 AS big, 0.5 AS f, x'ff' AS b, NULL AS n, 't' AS t" },
        },
        { type: 'close' },
      ],
    });
    expect(status).toBe(200);
    expect(json).toEqual({
      baton: null,
      base_url: null,
      results: [
        {
          type: 'ok',
          response: {
            type: 'execute',
            result: {
              cols: ['big', 'f', 'b', 'n', 't'].map((name) => ({ name, decltype: null })),
              rows: [
                [
                  { type: 'integer', value: '9223372036854775807' },
                  { type: 'float', value: 0.5 },
                  { type: 'blob', base64: '/w==' },
                  { type: 'null' },
                  { type: 'text', value: 't' },
                ],
              ],
              affected_row_count: 0,
              last_insert_rowid: null,
            },
          },
        },
        { type: 'ok', response: { type: 'close' } },
      ],
    });
  });

  it('answers describe, get_autocommit, stored SQL and every batch condition', async () => {
    const { status, json } = await pipeline('raw', {
      baton: null,
      requests: [
        { type: 'store_sql', sql_id: 1, sql: 'SELECT :a AS a, ?3 AS c' },
        { type: 'describe', sql_id: 1 },
        { type: 'describe', sql: 'CREATE TABLE x (y)' },
        { type: 'sequence', sql: 'CREATE TABLE x (y); BEGIN' },
        { type: 'get_autocommit' },
        {
          type: 'batch',
          batch: {
            steps: [
              { stmt: { sql: 'SELECT 0' } },
              { stmt: { sql: 'SELEC 1' } },
              { condition: { type: 'error', step: 1 }, stmt: { sql: 'SELECT 2' } },
              {
                condition: {
                  type: 'and',
                  conds: [
                    { type: 'ok', step: 0 },
                    { type: 'not', cond: { type: 'ok', step: 1 } },
                  ],
                },
                stmt: { sql: 'SELECT 3' },
              },
              {
                condition: { type: 'or', conds: [{ type: 'ok', step: 1 }, { type: 'is_autocommit' }] },
                stmt: { sql: 'SELECT 4' },
              },
            ],
          },
        },
        { type: 'close_sql', sql_id: 1 },
        { type: 'close' },
      ],
    });
    expect(status).toBe(200);
    const [stored, describeSelect, describeCreate, sequence, autocommit, batch, ...rest] =
      json.results as unknown[];
    expect(stored).toEqual({ type: 'ok', response: { type: 'store_sql' } });
    expect(describeSelect).toMatchObject({
      response: {
        result: {
          params: [{ name: ':a' }, { name: null }, { name: '?3' }],
          cols: [{ name: 'a' }, { name: 'c' }],
          is_explain: false,
          is_readonly: true,
        },
      },
    });
    expect(describeCreate).toMatchObject({
      response: { result: { params: [], cols: [], is_readonly: false } },
    });
    expect(sequence).toEqual({ type: 'ok', response: { type: 'sequence' } });
    expect(autocommit).toEqual({ type: 'ok', response: { type: 'get_autocommit', is_autocommit: false } });
    expect(batch).toMatchObject({
      response: {
        result: {
          step_results: [expect.any(Object), null, expect.any(Object), expect.any(Object), null],
          step_errors: [null, { code: 'SQLITE_ERROR' }, null, null, null],
        },
      },
    });
    expect(rest).toEqual([
      { type: 'ok', response: { type: 'close_sql' } },
      { type: 'ok', response: { type: 'close' } },
    ]);

    // Referring to SQL that was never stored, or conditioning on a later step, fails the whole request.
    const unstored = { type: 'execute', stmt: { sql_id: 9 } };
    expect(await pipeline('raw', { baton: null, requests: [unstored] })).toMatchObject({ status: 400 });
    const forward = {
      type: 'batch',
      batch: { steps: [{ condition: { type: 'ok', step: 0 }, stmt: { sql: 'SELECT 1' } }] },
    };
    expect(await pipeline('raw', { baton: null, requests: [forward] })).toMatchObject({ status: 400 });
  });

  it('rejects unknown, reused and foreign batons with a JSON 400', async () => {
    const unknown = await pipeline('batons', { baton: 'no-such-baton', requests: [] });
    expect(unknown).toMatchObject({
      status: 400,
      json: { code: 'BATON_INVALID', message: expect.any(String) },
    });

    const opened = await pipeline('batons', { baton: null, requests: [] });
    const baton = opened.json.baton;
    expect(typeof baton).toBe('string');
    // A baton names a stream of the database that issued it, not of whichever URL it is sent to.
    expect(await pipeline('other', { baton, requests: [] })).toMatchObject({ status: 400 });

    const next = await pipeline('batons', { baton, requests: [] });
    expect(next.status).toBe(200);
    expect(next.json.baton).not.toBe(baton);
    expect(await pipeline('batons', { baton, requests: [] })).toMatchObject({
      status: 400,
      json: { code: 'BATON_INVALID' },
    });
    expect(await pipeline('batons', { baton: next.json.baton, requests: [{ type: 'close' }] })).toMatchObject(
      {
        status: 200,
        json: { baton: null },
      },
    );
  });

  it('rejects malformed requests with 400 and oversized bodies with 413', async () => {
    const post = (body: string) => fetch(`${server.url}/malformed/v2/pipeline`, { method: 'POST', body });
    expect((await post('{not json')).status).toBe(400);
    expect(await pipeline('malformed', { baton: null, requests: [{ type: 'shout' }] })).toMatchObject({
      status: 400,
      json: { code: 'PROTOCOL_ERROR' },
    });
    const sql = `SELECT '${'x'.repeat(9 * 1024 * 1024)}'`;
    const huge = await post(JSON.stringify({ baton: null, requests: [{ type: 'execute', stmt: { sql } }] }));
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ code: 'BODY_TOO_LARGE' });
  });
});

describe('stream lifetime', () => {
  it('closes an idle stream, rolling back its transaction and releasing the write lock', async () => {
    const hrana = createHranaApp({ dataDir, streamIdleMs: 100 });
    try {
      const db = createWebClient({
        url: 'http://hrana.test/idle/',
        fetch: (req: Request) => hrana.app.fetch(req),
      });
      await db.execute('CREATE TABLE idle (x INTEGER)');
      const tx = await db.transaction('write');
      await tx.execute('INSERT INTO idle VALUES (1)');

      await sleep(300);
      await expect(tx.execute('SELECT 1')).rejects.toMatchObject({ code: 'BATON_INVALID' });
      expect(await count(db, 'idle')).toBe(0);
      await db.execute('INSERT INTO idle VALUES (2)');
      expect(await count(db, 'idle')).toBe(1);
      db.close();
    } finally {
      hrana.close();
    }
  });

  it('closes every connection when the server closes', async () => {
    const own = await startHranaServer({ dataDir, port: 0 });
    const db = createWebClient({ url: `${own.url}/shutdown/` });
    await db.execute('CREATE TABLE s (x INTEGER)');
    const tx = await db.transaction('write');
    await tx.execute('INSERT INTO s VALUES (1)');

    await own.close();

    // Were the transaction's connection still open, BEGIN IMMEDIATE would fail with SQLITE_BUSY.
    const file = new Database(join(dataDir, 'shutdown.db'));
    try {
      file.exec('BEGIN IMMEDIATE');
      expect(file.prepare('SELECT count(*) FROM s').raw(true).all([])).toEqual([[0]]);
      file.exec('ROLLBACK');
    } finally {
      file.close();
      db.close();
    }
  });
});
