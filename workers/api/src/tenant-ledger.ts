/**
 * The owner of one tenant's ledger writes on Workers: a Durable Object per tenant (named by the
 * tenant's id). Requests to one object share its event loop and its I/O, so the in-process writer
 * (one queue, group commit) runs here as it does in a Node process, while the data stays in the
 * tenant's own libSQL database. The object keeps nothing in its own storage.
 */

import { DurableObject } from 'cloudflare:workers';
import type { Client } from '@libsql/client';
import { createWebClient } from '@wijkteams/db/web';
import {
  LedgerInputError,
  type LedgerWriteInput,
  type LedgerWriteName,
  type LedgerWriteResult,
} from '@wijkteams/ledger';
import { EnvSchema } from './env.ts';
import { ApiError } from './errors.ts';
import { inProcessLedgerWriter, type LedgerTenant, type LedgerWriter } from './ledger-writer.ts';
import { describeFailure, isConnectionLost, isDatabaseUnavailable, toApiError } from './problem-response.ts';

/** What crosses from the object to the Worker instead of an exception, whose class and fields RPC drops. */
type Failure =
  | { kind: 'input'; field: string; reason: string }
  | { kind: 'unavailable' }
  | { kind: 'internal'; errors: string[] };
type Outcome<K extends LedgerWriteName> =
  | { ok: true; result: LedgerWriteResult<K> }
  | { ok: false; failure: Failure };

/** How often a write whose connection was lost is sent in all. */
const WRITE_ATTEMPTS = 3;

const ObjectEnvSchema = EnvSchema.pick({
  TENANT_DB_AUTH_TOKEN: true,
  DB_TIMEOUT_MS: true,
  LOCAL_LIBSQL_GATEWAY: true,
});

export class TenantLedger extends DurableObject {
  readonly #writer: LedgerWriter;

  constructor(state: DurableObjectState, env: Cloudflare.Env) {
    super(state, env);
    const settings = ObjectEnvSchema.parse(env);
    const clients = new Map<string, Client>();
    // One client per database for the life of the object: its requests may share its I/O.
    this.#writer = inProcessLedgerWriter(
      (url) => {
        let client = clients.get(url);
        if (!client) {
          client = createWebClient(
            { url, authToken: settings.TENANT_DB_AUTH_TOKEN },
            { timeoutMs: settings.DB_TIMEOUT_MS, localGateway: settings.LOCAL_LIBSQL_GATEWAY },
          );
          clients.set(url, client);
        }
        return client;
      },
      // Every group costs two round trips over the network to the database: fewer, larger groups.
      { maxGroup: 256 },
    );
  }

  async write<K extends LedgerWriteName>(
    tenant: LedgerTenant,
    name: K,
    input: LedgerWriteInput<K>,
  ): Promise<Outcome<K>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return { ok: true, result: await this.#writer.write(tenant, name, input) };
      } catch (error) {
        // A connection lost on the way: the write may or may not have landed. Its idempotency key
        // makes sending it again safe: a write that landed answers as a replay of itself.
        if (attempt < WRITE_ATTEMPTS && isConnectionLost(error)) continue;
        return { ok: false, failure: failureOf(error) };
      }
    }
  }
}

function failureOf(error: unknown): Failure {
  if (error instanceof LedgerInputError) return { kind: 'input', field: error.field, reason: error.reason };
  if (isDatabaseUnavailable(error)) return { kind: 'unavailable' };
  const record = describeFailure(error, toApiError(error), undefined);
  console.error(JSON.stringify({ ...record, msg: 'ledger-write-failed' }));
  return { kind: 'internal', errors: record.errors as string[] };
}

/** Workers: every write of a tenant goes to that tenant's object; the answer or failure comes back. */
export function durableObjectLedgerWriter(namespace: DurableObjectNamespace<TenantLedger>): LedgerWriter {
  return {
    async write<K extends LedgerWriteName>(
      tenant: LedgerTenant,
      name: K,
      input: LedgerWriteInput<K>,
    ): Promise<LedgerWriteResult<K>> {
      const stub = namespace.get(namespace.idFromName(tenant.id));
      let outcome: Outcome<K>;
      try {
        outcome = (await stub.write(tenant, name, input)) as Outcome<K>;
      } catch (error) {
        // The object could not be reached (overloaded, being moved): the caller may retry.
        if (isRetryableRpcFailure(error)) {
          throw new ApiError('database-unavailable', "The municipality's ledger is busy; try again shortly");
        }
        throw error;
      }
      if (outcome.ok) return outcome.result;
      const { failure } = outcome;
      if (failure.kind === 'input') throw new LedgerInputError(failure.field, failure.reason);
      if (failure.kind === 'unavailable') {
        throw new ApiError('database-unavailable', 'A database did not answer in time; try again shortly');
      }
      throw Object.assign(new Error(`The tenant's ledger failed: ${failure.errors.join(' < ')}`), {
        name: 'TenantLedgerError',
      });
    },
  };
}

function isRetryableRpcFailure(error: unknown): boolean {
  const flags = error as { retryable?: unknown; overloaded?: unknown } | null;
  return (
    typeof flags === 'object' && flags !== null && (flags.retryable === true || flags.overloaded === true)
  );
}
