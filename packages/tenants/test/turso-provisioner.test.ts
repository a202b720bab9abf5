import type { Client } from '@libsql/client';
import { createTursoFake } from '@wijkteams/local/turso-fake';
import { describe, expect, it, vi } from 'vitest';
import { TursoApiError, tursoProvisioner } from '../src/provisioners/turso.ts';

const ORG = 'gemeente-org';
const TOKEN = 'turso-platform-token-3f9a1c';
const API = 'http://turso.fake';

interface Received {
  method: string;
  url: string;
  authorization: string | null;
  contentType: string | null;
  body: unknown;
}

/** The fake, reached through an injected fetch that records every request it receives. */
function setup(
  overrides: { apiToken?: string; group?: string; databaseName?: (slug: string) => string } = {},
) {
  const created: string[] = [];
  const fake = createTursoFake({
    organization: ORG,
    apiToken: TOKEN,
    onCreate: (name) => created.push(name),
  });
  const received: Received[] = [];
  const fetchFake: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const text = await request.clone().text();
    received.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.get('Authorization'),
      contentType: request.headers.get('Content-Type'),
      body: text ? JSON.parse(text) : null,
    });
    return fake.app.fetch(request);
  };
  const client = { close: () => {} } as unknown as Client;
  const openClient = vi.fn((_url: string) => client);
  const provisioner = tursoProvisioner({
    organization: ORG,
    group: overrides.group ?? 'tenants',
    apiToken: overrides.apiToken ?? TOKEN,
    apiBaseUrl: API,
    fetch: fetchFake,
    openClient,
    ...(overrides.databaseName ? { databaseName: overrides.databaseName } : {}),
  });
  return { fake, created, received, provisioner, openClient, client };
}

describe('tursoProvisioner against the Platform API fake', () => {
  it('creates the database and returns its libsql:// URL', async () => {
    const { fake, created, provisioner } = setup();
    await expect(provisioner.create('zeist')).resolves.toBe(`libsql://wijkteams-zeist-${ORG}.turso.test`);
    expect(fake.databases()).toEqual(['wijkteams-zeist']);
    expect(created).toEqual(['wijkteams-zeist']);
  });

  it('sends exactly the documented request', async () => {
    const { received, provisioner } = setup();
    await provisioner.create('zeist');
    expect(received).toEqual([
      {
        method: 'POST',
        url: `${API}/v1/organizations/${ORG}/databases`,
        authorization: `Bearer ${TOKEN}`,
        contentType: 'application/json',
        body: { name: 'wijkteams-zeist', group: 'tenants' },
      },
    ]);
  });

  it('returns the same URL for a second create, by fetching the database after a 409', async () => {
    const { fake, created, received, provisioner } = setup();
    const first = await provisioner.create('zeist');
    const second = await provisioner.create('zeist');
    expect(second).toBe(first);
    expect(fake.databases()).toEqual(['wijkteams-zeist']);
    expect(created).toEqual(['wijkteams-zeist']);
    expect(received.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST ${API}/v1/organizations/${ORG}/databases`,
      `POST ${API}/v1/organizations/${ORG}/databases`,
      `GET ${API}/v1/organizations/${ORG}/databases/wijkteams-zeist`,
    ]);
    expect(received[2]).toMatchObject({ authorization: `Bearer ${TOKEN}`, body: null });
  });

  it('keeps tenants apart and honours a custom database name', async () => {
    const { fake, provisioner } = setup({ databaseName: (slug) => `wt-${slug}` });
    await expect(provisioner.create('zeist')).resolves.toBe(`libsql://wt-zeist-${ORG}.turso.test`);
    await expect(provisioner.create('waalre')).resolves.toBe(`libsql://wt-waalre-${ORG}.turso.test`);
    expect(fake.databases().sort()).toEqual(['wt-waalre', 'wt-zeist']);
  });

  it('refuses to reuse a database of the same name in another group', async () => {
    const { fake, provisioner } = setup();
    await provisioner.create('zeist');
    const other = tursoProvisioner({
      organization: ORG,
      group: 'elsewhere',
      apiToken: TOKEN,
      apiBaseUrl: API,
      fetch: (input, init) => Promise.resolve(fake.app.fetch(new Request(input, init))),
      openClient: () => {
        throw new Error('not opened');
      },
    });
    await expect(other.create('zeist')).rejects.toThrow(/group tenants, not in group elsewhere/);
  });

  it('throws a TursoApiError with status 401 on a wrong API token, without the token', async () => {
    const wrongToken = 'wrong-token-7d21e0';
    const { fake, provisioner } = setup({ apiToken: wrongToken });
    const error = await provisioner.create('zeist').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TursoApiError);
    const apiError = error as TursoApiError;
    expect(apiError.status).toBe(401);
    expect(apiError.tursoError).toBe('could not parse jwt id');
    expect(apiError.message).toContain('401');
    expect(apiError.message).not.toContain(wrongToken);
    expect(apiError.message).not.toContain(TOKEN);
    expect(JSON.stringify(apiError)).not.toContain(wrongToken);
    expect(fake.databases()).toEqual([]);
  });

  it("surfaces Turso's error message for a rejected name", async () => {
    const { provisioner } = setup();
    const error = await provisioner.create('Zeist!').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TursoApiError);
    expect(error).toMatchObject({ status: 400, tursoError: expect.stringMatching(/invalid database name/) });
  });

  it('rejects an answer that does not have the documented shape', async () => {
    const provisioner = tursoProvisioner({
      organization: ORG,
      group: 'tenants',
      apiToken: TOKEN,
      fetch: async () =>
        Response.json({ database: { DbId: '1', Hostname: 'evil.example/path?x=', Name: 'wijkteams-zeist' } }),
      openClient: () => {
        throw new Error('not opened');
      },
    });
    await expect(provisioner.create('zeist')).rejects.toMatchObject({
      name: 'TursoApiError',
      status: 200,
      tursoError: 'the answer does not have the documented shape',
    });
  });

  it('bounds each call with a timeout', async () => {
    const provisioner = tursoProvisioner({
      organization: ORG,
      group: 'tenants',
      apiToken: TOKEN,
      timeoutMs: 20,
      // Never answers; only the abort signal ends the call.
      fetch: (_input, init) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
      openClient: () => {
        throw new Error('not opened');
      },
    });
    await expect(provisioner.create('zeist')).rejects.toThrow(/did not answer within 20 ms/);
  });

  it('uses https://api.turso.tech by default', async () => {
    const urls: string[] = [];
    const provisioner = tursoProvisioner({
      organization: ORG,
      group: 'tenants',
      apiToken: TOKEN,
      fetch: async (input) => {
        urls.push(String(input));
        return Response.json(
          { database: { DbId: 'x', Hostname: `wijkteams-zeist-${ORG}.turso.io`, Name: 'wijkteams-zeist' } },
          { status: 200 },
        );
      },
      openClient: () => {
        throw new Error('not opened');
      },
    });
    await expect(provisioner.create('zeist')).resolves.toBe(`libsql://wijkteams-zeist-${ORG}.turso.io`);
    expect(urls).toEqual([`https://api.turso.tech/v1/organizations/${ORG}/databases`]);
  });

  it('opens a database through the injected openClient', async () => {
    const { provisioner, openClient, client } = setup();
    const url = await provisioner.create('zeist');
    expect(openClient).not.toHaveBeenCalled();
    expect(provisioner.open(url)).toBe(client);
    expect(openClient).toHaveBeenCalledExactlyOnceWith(`libsql://wijkteams-zeist-${ORG}.turso.test`);
  });
});

describe('the Turso Platform API fake', () => {
  const fake = createTursoFake({ organization: ORG, apiToken: TOKEN });
  const call = async (
    method: string,
    path: string,
    options: { token?: string | null; body?: unknown } = {},
  ) => {
    const token = options.token === undefined ? TOKEN : options.token;
    const response = await fake.app.fetch(
      new Request(`${API}${path}`, {
        method,
        headers: {
          ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
          ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      }),
    );
    return {
      status: response.status,
      body: (await response.json()) as { database?: object; error?: string },
    };
  };
  const databases = `/v1/organizations/${ORG}/databases`;

  it('answers 401 with a JSON error without a valid bearer token', async () => {
    for (const token of [null, 'nope']) {
      const answer = await call('POST', databases, { token, body: { name: 'a', group: 'g' } });
      expect(answer).toEqual({ status: 401, body: { error: expect.any(String) } });
    }
    expect(fake.databases()).toEqual([]);
  });

  it('validates names as Turso does', async () => {
    for (const name of ['Upper', 'under_score', 'a.b', '', 'x'.repeat(65), 42]) {
      const answer = await call('POST', databases, { body: { name, group: 'g' } });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: expect.any(String) });
    }
    expect((await call('POST', databases, { body: { name: 'x'.repeat(64), group: 'g' } })).status).toBe(200);
  });

  it('creates, refuses a duplicate with 409, and gets a database or 404', async () => {
    const created = await call('POST', databases, { body: { name: 'db-1', group: 'g' } });
    expect(created).toEqual({
      status: 200,
      body: { database: { DbId: expect.any(String), Hostname: `db-1-${ORG}.turso.test`, Name: 'db-1' } },
    });
    expect(await call('POST', databases, { body: { name: 'db-1', group: 'g' } })).toEqual({
      status: 409,
      body: { error: 'database with name db-1 already exists' },
    });
    expect(await call('GET', `${databases}/db-1`)).toEqual({
      status: 200,
      body: { database: { ...created.body.database, group: 'g' } },
    });
    expect(await call('GET', `${databases}/missing`)).toEqual({
      status: 404,
      body: { error: expect.any(String) },
    });
    expect((await call('GET', `/v1/organizations/other-org/databases/db-1`)).status).toBe(404);
  });
});
