/**
 * Where a database lives. Production stores `libsql://<db>-<org>.turso.io` URLs. Locally provisioned
 * databases are stored as `file:` URLs relative to the data folder (`file:tenants/zeist.db`), so that
 * the Node server can open the file directly and a Worker can reach the same file through the local
 * Hrana gateway (`<gateway>/tenants/zeist/`).
 */
export interface DatabaseTarget {
  url: string;
  authToken?: string | undefined;
}

const RELATIVE_FILE = /^file:(?!\/)([a-z0-9_\-/]+)\.db$/;

/** The relative path of a local database (`tenants/zeist`), or null for a remote URL. */
export function localDatabasePath(url: string): string | null {
  const match = RELATIVE_FILE.exec(url);
  if (!match?.[1] || match[1].split('/').includes('..')) return null;
  return match[1];
}

export function localDatabaseUrl(path: string): string {
  return `file:${path}.db`;
}

export class DatabaseConfigError extends Error {
  override name = 'DatabaseConfigError';
}
