/// <reference types="@cloudflare/vitest-pool-workers/types" />
/**
 * Calls of the Worker under test (`SELF`) as the platform admin, for the tests in workerd: one
 * helper instead of one per test file.
 */
import { SELF } from 'cloudflare:test';

export const ADMIN = { Authorization: 'Bearer workers-test-admin-key-0123456789' };

/** A fresh Idempotency-Key: unique across test files, which share the tenants' databases. */
export const freshKey = () => `workerd-${crypto.randomUUID()}`;

/** A JSON call as the platform admin, each with its own Idempotency-Key unless `headers` names one. */
export function send(method: string, path: string, body?: object, headers: Record<string, string> = {}) {
  return SELF.fetch(`https://api.example${path}`, {
    method,
    headers: {
      ...ADMIN,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      'Idempotency-Key': freshKey(),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

export const post = (path: string, body: object, headers?: Record<string, string>) =>
  send('POST', path, body, headers);
