import type { Client } from '@libsql/client';
import {
  applyLedgerWrite,
  type GroupCommitOptions,
  groupCommitter,
  type LedgerContext,
  type LedgerWriteInput,
  type LedgerWriteName,
  type LedgerWriteResult,
  serialQueue,
} from '@wijkteams/ledger';

/** What a writer needs to know of a tenant: whose writes they are, and where its database is. */
export interface LedgerTenant {
  id: string;
  databaseUrl: string;
}

/**
 * Who writes a tenant's ledger. Each tenant has one owner of its writes, which runs them one at a
 * time and writes redemptions that arrive together in one batch (group commit). Reads do not pass
 * here. Correctness does not depend on there being one owner: idempotency keys and the database's
 * guards keep the ledger right if a second writer (a CLI, a restarted owner) writes as well.
 *
 * - `inProcessLedgerWriter`: the process is the owner (Node; and inside the Durable Object).
 * - `durableObjectLedgerWriter` (tenant-ledger.ts): a Durable Object per tenant is the owner
 *   (Workers, where a request may not wait on another request's work).
 */
export interface LedgerWriter {
  write<K extends LedgerWriteName>(
    tenant: LedgerTenant,
    name: K,
    input: LedgerWriteInput<K>,
  ): Promise<LedgerWriteResult<K>>;
}

/**
 * This process owns the writes of every tenant it serves: a queue and a group committer per tenant,
 * kept for the life of the process, over clients that outlive a request.
 */
export function inProcessLedgerWriter(
  openTenant: (databaseUrl: string) => Client,
  group: GroupCommitOptions = {},
): LedgerWriter {
  const owners = new Map<string, Pick<LedgerContext, 'serialize' | 'groupCommit'>>();
  return {
    write(tenant, name, input) {
      let owner = owners.get(tenant.id);
      if (!owner) {
        owner = { serialize: serialQueue(), groupCommit: groupCommitter(group) };
        owners.set(tenant.id, owner);
      }
      return applyLedgerWrite(
        { db: openTenant(tenant.databaseUrl), clock: () => new Date(), ...owner },
        name,
        input,
      );
    },
  };
}
