import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Client, createClient } from '@libsql/client';
import { DatabaseConfigError, type DatabaseTarget, localDatabasePath } from './locate.ts';

export interface NodeClientOptions {
  /** Folder that relative `file:` URLs resolve against. */
  dataDir: string;
  /** Create the file if it does not exist (provisioning), instead of refusing to open it. */
  create?: boolean;
  /** Bound on a round trip to a remote database. */
  timeoutMs?: number;
}

/** A libSQL client for Node: embedded on a local file, or over HTTP for a remote URL. */
export function createNodeClient(target: DatabaseTarget, options: NodeClientOptions): Client {
  const local = localDatabasePath(target.url);
  if (local === null) {
    if (target.url.startsWith('file:'))
      throw new DatabaseConfigError(`Not a valid database URL: ${target.url}`);
    const timeoutMs = options.timeoutMs ?? 5_000;
    return createClient({
      url: target.url,
      authToken: target.authToken,
      fetch: (input: Request | string | URL, init?: RequestInit) =>
        fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
    });
  }
  const path = resolve(options.dataDir, `${local}.db`);
  if (options.create) mkdirSync(dirname(path), { recursive: true });
  else if (!existsSync(path)) throw new DatabaseConfigError(`No database file at ${path}`);
  // `timeout` is SQLite's busy timeout on every connection of the client (a PRAGMA reaches only one).
  return createClient({ url: `file:${path}`, timeout: 5_000 });
}

/** Per-connection settings for embedded files: WAL so readers never wait on the writer. */
export async function tuneEmbedded(client: Client): Promise<void> {
  await client.execute('PRAGMA journal_mode = WAL');
  await client.execute('PRAGMA busy_timeout = 5000');
}

export * from './settings.ts';
