import type { Client } from '@libsql/client';

/** `GRO-2026-000123`: the tenant's code, the year of receipt, a counter per year. */
export const REFERENCE_PATTERN = /^[A-Z]{2,5}-[0-9]{4}-[0-9]{6,9}$/;
const CODE_PATTERN = /^[A-Z]{2,5}$/;

export function isReference(value: string): boolean {
  return REFERENCE_PATTERN.test(value);
}

export function assertTenantCode(code: string): void {
  if (!CODE_PATTERN.test(code)) throw new RangeError('A tenant code is two to five capital letters');
}

/** Whether the tenant has numbered a request yet: from then on its references have their prefix. */
export async function hasNumberedRequests(db: Client): Promise<boolean> {
  const { rows } = await db.execute('SELECT 1 FROM request_counters LIMIT 1');
  return rows.length > 0;
}
