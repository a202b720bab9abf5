import type { Client } from '@libsql/client';
import type { GroupCommitter } from './vouchers/group.ts';

export interface VoucherPolicy {
  /** One hour of a dienstencheque: 500 cents. */
  faceValueCents: number;
  /** How long a voucher stays valid after it is issued. */
  validityMonths: number;
}

export const DEFAULT_VOUCHER_POLICY: VoucherPolicy = { faceValueCents: 500, validityMonths: 12 };

/**
 * What every ledger function works with: the tenant's own database and a clock. Nothing of HTTP:
 * the Worker, the Node server, a CLI and the tests all pass the same shape. `db` may be the
 * embedded client or `@libsql/client/web`; only `batch` and `execute` are used.
 */
export interface LedgerContext {
  db: Client;
  clock: () => Date;
  /** The tenant's voucher defaults; a value given with a call wins. */
  vouchers?: Partial<VoucherPolicy>;
  /**
   * Runs one plan-and-write round exclusively among the writers that share it (one isolate or
   * process, one tenant). Optional: correctness comes from the guarded write, and writers
   * elsewhere still retry; serialising here only spares the rounds they would lose to each other.
   */
  serialize?: <T>(work: () => Promise<T>) => Promise<T>;
  /**
   * Group commit for redemptions (`groupCommitter()`): redemptions of this tenant that wait while
   * another group is written are planned from one read and written in one batch. Optional; share
   * one per tenant and process, like `serialize`, whose queue a group still takes its turn in.
   */
  groupCommit?: GroupCommitter;
}

/** A promise-chain mutex: each piece of work starts when the one before it has settled. */
export function serialQueue(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>) => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}

export function voucherPolicy(ctx: LedgerContext): VoucherPolicy {
  return { ...DEFAULT_VOUCHER_POLICY, ...ctx.vouchers };
}

/**
 * A call the edge should have refused already (its zod schema lists the same rules): a programming
 * error, so it is thrown. Expected refusals (redeemed, insufficient funds) are returned as values.
 */
export class LedgerInputError extends Error {
  override name = 'LedgerInputError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}
