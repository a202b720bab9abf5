import { expect } from 'vitest';

export async function expectProblem(res: Response, status: number, type: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('Content-Type')).toBe('application/problem+json');
  expect(res.headers.get('API-Version')).toMatch(/^\d+\.\d+\.\d+$/);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ type: `urn:wijkteams:problem:${type}`, status });
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  return body;
}

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

export function json(method: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...headers } };
}

/**
 * Registers providers under fixed ids straight in a tenant's database file, as the migration does
 * for the ledger's old provider accounts: for tests of the ledger that name their providers.
 */
export async function seedProviders(dataDir: string, tenant: string, ids: string[]): Promise<void> {
  const { createClient } = await import('@libsql/client');
  const { newId } = await import('@wijkteams/db');
  const client = createClient({ url: `file:${dataDir}/tenants/${tenant}.db` });
  try {
    await client.batch(
      ids.flatMap((id) => [
        {
          sql: `INSERT OR IGNORE INTO triage_providers (id, name, tier, language, created_at) VALUES (?, ?, 'company', 'nl', ?)`,
          args: [id, id, new Date().toISOString()],
        },
        {
          sql: `INSERT OR IGNORE INTO ledger_accounts (id, ledger, kind, reference) VALUES (?, 'vouchers', 'provider', ?)`,
          args: [newId('acc'), id],
        },
      ]),
      'write',
    );
  } finally {
    client.close();
  }
}
