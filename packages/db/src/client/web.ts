import { type Client, createClient } from '@libsql/client/web';
import { DatabaseConfigError, type DatabaseTarget, localDatabasePath } from './locate.ts';

export interface WebClientOptions {
  /** Base URL of a Hrana endpoint that serves the local data folder; only set in local development. */
  localGateway?: string | undefined;
  /** Bound on every round trip, so that an unreachable database fails fast instead of hanging. */
  timeoutMs: number;
}

/**
 * A libSQL client over HTTP for use inside a Worker. Create one per request: a client's connections
 * belong to the request that opened them.
 */
export function createWebClient(target: DatabaseTarget, options: WebClientOptions): Client {
  return createClient({
    url: resolveWebUrl(target.url, options.localGateway),
    authToken: target.authToken,
    fetch: (input: Request | string | URL, init?: RequestInit) =>
      fetch(input, { ...init, signal: AbortSignal.timeout(options.timeoutMs) }),
  });
}

export function resolveWebUrl(url: string, localGateway: string | undefined): string {
  const local = localDatabasePath(url);
  if (local === null) {
    if (url.startsWith('file:')) throw new DatabaseConfigError(`Not a valid database URL: ${url}`);
    return url;
  }
  if (!localGateway) {
    throw new DatabaseConfigError('A local database URL needs LOCAL_LIBSQL_GATEWAY in a Worker');
  }
  return `${localGateway.replace(/\/$/, '')}/${local}/`;
}
