import type { InStatement, ResultSet } from '@libsql/client';
import {
  type AccountIdentity,
  findAccount,
  openAccounts,
  providerAccount,
  VOUCHER_LEDGER,
} from '../accounts.ts';
import {
  appendToChain,
  chainTailOf,
  insertCommandTransfers,
  readChainTail,
  type Transfer,
  type TransferDraft,
} from '../chain.ts';
import {
  answerOf,
  attemptGuard,
  type Idempotent,
  isRetryable,
  type Posting,
  readKeys,
  recordAnswer,
} from '../commands.ts';
import type { LedgerContext } from '../context.ts';
import { rowsBy, text } from '../rows.ts';
import { type RedeemAnswer, type RedeemRequest, redeemAlone, redeemDraft, redemptionOf } from './redeem.ts';
import { readVouchers, settleDecision, settleOutcomeOf, voucherRowOf } from './shared.ts';

/**
 * Group commit for `redeemVoucher` (TigerBeetle's batching on libSQL). Redemptions that arrive
 * while a group is being written wait; the next group takes them all (up to `maxGroup`; a second
 * redemption of a voucher already in the group waits for the next one), reads every key, voucher
 * and provider account plus the chain tail in ONE read batch, plans every outcome in JavaScript,
 * chains the transfers of the commands it expects to succeed one after another, and writes
 * everything in ONE write batch: every answer, then all transfers in one statement. Each command
 * keeps its own idempotency record, its own attempt guard and its own transfer. The outcomes are
 * still decided in SQL inside the write:
 *
 * - a command planned as ok whose SQL outcome is a refusal inserts no transfer, so the next
 *   transfer of the group no longer fits the chain and the whole batch aborts (`ledger_chain_moved`);
 * - a command planned as a refusal whose SQL outcome is ok records `stale`, which aborts the batch
 *   (`ledger_plan_stale`) rather than storing an ok without its transfer.
 *
 * An aborted group is planned again a few times, then each of its commands runs on its own
 * (`redeemAlone`, with its own retries), so a command that cannot be grouped never holds up others.
 */
export interface GroupCommitter {
  redeem(ctx: LedgerContext, request: RedeemRequest): Promise<Idempotent<RedeemAnswer>>;
}

export interface GroupCommitOptions {
  /** The most commands written in one batch. */
  maxGroup?: number;
  /** How many times an aborted group is planned again before its commands run one by one. */
  groupAttempts?: number;
}

interface Waiting {
  ctx: LedgerContext;
  request: RedeemRequest;
  resolve: (result: Idempotent<RedeemAnswer>) => void;
  reject: (error: unknown) => void;
}

/**
 * When a group starts. Not at once, which would make groups of one whenever the work before
 * `redeem` is synchronous: on Node after the event loop has polled twice more (`setImmediate`
 * twice). The first poll reads every request that arrived with this one; the second lets the
 * clients that the previous group has just answered send their next redemption, which then joins
 * this group instead of starting the next one. With 10 connections that makes groups of about 9
 * instead of 6, so a third fewer commits, each of which waits for the disk while the event loop
 * stands still (embedded libSQL is synchronous). A poll with nothing to read does not wait, so the
 * cost is a turn of the loop. Elsewhere (the Durable Object) a zero timeout.
 */
const afterNextTurn: (run: () => void) => void =
  typeof setImmediate === 'function'
    ? (run) => void setImmediate(() => setImmediate(run))
    : (run) => void setTimeout(run, 0);

/** One per tenant and process, like the `serialize` queue: put it on that tenant's `LedgerContext`. */
export function groupCommitter(options: GroupCommitOptions = {}): GroupCommitter {
  const maxGroup = options.maxGroup ?? 64;
  const groupAttempts = options.groupAttempts ?? 3;
  let waiting: Waiting[] = [];
  let draining = false;

  /**
   * The oldest waiting command, and every later one on the same database whose key and voucher are
   * not yet in the group: within a group no command's outcome depends on another's transfer.
   */
  function take(): Waiting[] {
    const [first] = waiting;
    if (!first) return [];
    const group: Waiting[] = [];
    const keys = new Set<string>();
    const codes = new Set<string>();
    const rest: Waiting[] = [];
    for (const w of waiting) {
      const { key } = w.request.command;
      if (
        group.length < maxGroup &&
        w.ctx.db === first.ctx.db &&
        !keys.has(key) &&
        !codes.has(w.request.code)
      ) {
        group.push(w);
        keys.add(key);
        codes.add(w.request.code);
      } else {
        rest.push(w);
      }
    }
    waiting = rest;
    return group;
  }

  async function drain() {
    try {
      for (let group = take(); group.length > 0; group = take()) {
        await settle(group).catch((error: unknown) => {
          for (const w of group) w.reject(error);
        });
      }
    } finally {
      draining = false;
    }
  }

  async function settle(group: Waiting[]) {
    const ctx = (group[0] as Waiting).ctx;
    const serialize = ctx.serialize ?? (<T>(work: () => Promise<T>) => work());
    for (let attempt = 1; attempt <= groupAttempts; attempt += 1) {
      try {
        const answers = await serialize(() =>
          writeGroup(
            ctx,
            group.map((w) => w.request),
          ),
        );
        for (const [i, w] of group.entries()) w.resolve(answers[i] as Idempotent<RedeemAnswer>);
        return;
      } catch (error) {
        if (!isRetryable(error)) break;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));
      }
    }
    // One by one, each with its own retries and its own error.
    await Promise.all(group.map((w) => redeemAlone(w.ctx, w.request).then(w.resolve, w.reject)));
  }

  return {
    redeem(ctx, request) {
      return new Promise((resolve, reject) => {
        waiting.push({ ctx, request, resolve, reject });
        if (!draining) {
          draining = true;
          afterNextTurn(() => void drain());
        }
      });
    },
  };
}

/** One read batch, the plan, one write batch. Throws (to be planned again) when the write aborts. */
async function writeGroup(
  ctx: LedgerContext,
  requests: RedeemRequest[],
): Promise<Idempotent<RedeemAnswer>[]> {
  const providers: AccountIdentity[] = [];
  const providerIndex = new Map<string, number>();
  for (const r of requests) {
    if (!providerIndex.has(r.provider)) {
      providerIndex.set(r.provider, providers.length);
      providers.push(providerAccount(VOUCHER_LEDGER, r.provider));
    }
  }
  const reads: InStatement[] = [
    readChainTail,
    ...providers.map(findAccount),
    readKeys(requests.map((r) => r.command.key)),
    readVouchers([...new Set(requests.map((r) => r.code))]),
  ];
  const results = await ctx.db.batch(reads, 'read');
  const keyRows = rowsBy(results[1 + providers.length], 'key');
  const voucherRows = rowsBy(results[2 + providers.length], 'code');
  const tail = chainTailOf(results[0] as ResultSet);
  const found = providers.map((_, i) => {
    const row = results[1 + i]?.rows[0];
    return row ? text(row, 'id') : undefined;
  });
  const at = ctx.clock();
  const now = at.toISOString();

  const answers: (Idempotent<RedeemAnswer> | undefined)[] = [];
  const open: number[] = [];
  requests.forEach((r, i) => {
    const answered = answerOf<RedeemAnswer>(keyRows.get(r.command.key), r.command, null);
    answers.push(answered ?? undefined);
    if (!answered) open.push(i);
  });
  if (open.length === 0) return answers as Idempotent<RedeemAnswer>[];
  const accountIds = await openAccounts(ctx, providers, found);

  // The plan: what each open command will answer, and the transfers of those expected to succeed.
  const drafts: TransferDraft[] = [];
  const planned = open.map((i) => {
    const r = requests[i] as RedeemRequest;
    const row = voucherRows.get(r.code);
    const providerId = accountIds[providerIndex.get(r.provider) as number] as string;
    if (!row) return { i, r, ok: false as const, found: false };
    const voucher = voucherRowOf(row);
    // A group holds each voucher once (`take`), so no outcome here depends on another's transfer.
    const ok = settleOutcomeOf(voucher, now) === 'ok';
    if (!ok) return { i, r, ok: false as const, found: true };
    drafts.push(redeemDraft(r, voucher.holderAccountId, providerId, voucher.faceValueCents));
    return { i, r, ok: true as const, found: true, voucher, providerId, draft: drafts.length - 1 };
  });
  const transfers = appendToChain(tail, at, drafts);

  const statements: InStatement[] = [];
  const attempts: string[] = [];
  const moves: { transfer: Transfer; key: string; attempt: string }[] = [];
  for (const p of planned) {
    const attempt = crypto.randomUUID();
    attempts.push(attempt);
    const guard = attemptGuard(p.r.command, attempt);
    const decision = settleDecision(p.r.code, at, p.found);
    if (p.ok) {
      const transfer = transfers[p.draft] as (typeof transfers)[number];
      const body = redemptionOf(
        p.r,
        p.voucher.faceValueCents,
        p.voucher.holderAccountId,
        p.providerId,
        transfer,
      );
      const posting: Posting = {
        ...decision,
        okBody: ':ok_body',
        args: { ...decision.args, ok_body: JSON.stringify(body) },
        transfers: [transfer],
      };
      statements.push(recordAnswer(p.r.command, posting, guard, at));
      moves.push({ transfer, key: p.r.command.key, attempt });
    } else {
      // Planned as a refusal: an ok in SQL means the plan is stale, and the batch aborts.
      const outcome = `(SELECT CASE WHEN s = 'ok' THEN 'stale' ELSE s END FROM (SELECT ${decision.outcome} AS s))`;
      const posting: Posting = { ...decision, outcome, okBody: `'{}'`, transfers: [] };
      statements.push(recordAnswer(p.r.command, posting, guard, at));
    }
  }
  // Every answer first, then all transfers in one statement, each guarded on its own answer.
  if (moves.length > 0) statements.push(insertCommandTransfers(moves));
  const written = await ctx.db.batch([...statements, readKeys(planned.map((p) => p.r.command.key))], 'write');
  const stored = rowsBy(written.at(-1), 'key');
  planned.forEach((p, n) => {
    const answer = answerOf<RedeemAnswer>(stored.get(p.r.command.key), p.r.command, attempts[n] as string);
    if (!answer) throw new Error('No answer was stored under the key of redeem-voucher');
    answers[p.i] = answer;
  });
  return answers as Idempotent<RedeemAnswer>[];
}
