import { controlDb } from '@wijkteams/db';
import { deliverOutbox } from '@wijkteams/events';
import { findTenant, listTenants } from '@wijkteams/tenants';
import { eventsContext, reportDisabled } from '../events.ts';
import { expireDueOffers } from '../maintenance.ts';
import type { Runtime } from '../runtime.ts';

/** A Queue message: "this tenant may have something to send". Nothing else: the rows are the truth. */
export interface OutboxKick {
  tenant: string;
}

/** The Cron Trigger that sweeps every outbox each minute (wrangler.toml); the other is maintenance. */
export const OUTBOX_SWEEP_CRON = '* * * * *';

/** Follow-up runs for retries due this soon are queued with a delay; later ones wait for the sweep. */
const FOLLOW_UP_WITHIN_MS = 90_000;

/**
 * The Queue consumer: one run of the sender per tenant named in the batch (a burst of kicks for one
 * tenant is one run). A tenant whose run fails is retried by the queue with a pause, and after
 * `max_retries` lands in the dead-letter queue; the minute sweep picks up its rows either way.
 */
export async function consumeOutbox(
  runtime: Runtime,
  batch: MessageBatch<OutboxKick>,
  queue: Queue<OutboxKick> | undefined,
  log: (record: Record<string, unknown>) => void = (r) => console.log(JSON.stringify(r)),
): Promise<void> {
  const byTenant = new Map<string, Message<OutboxKick>[]>();
  for (const message of batch.messages) {
    const slug = typeof message.body?.tenant === 'string' ? message.body.tenant : '';
    byTenant.set(slug, [...(byTenant.get(slug) ?? []), message]);
  }
  await Promise.all(
    [...byTenant].map(async ([slug, messages]) => {
      try {
        const next = await runFor(runtime, slug, log);
        if (next !== undefined && queue) {
          const wait = next.getTime() - Date.now();
          if (wait <= FOLLOW_UP_WITHIN_MS)
            await queue.send({ tenant: slug }, { delaySeconds: Math.max(0, Math.ceil(wait / 1000)) });
        }
        for (const message of messages) message.ack();
      } catch (error) {
        log({
          level: 'error',
          msg: 'outbox run failed',
          tenant: slug,
          error: error instanceof Error ? error.name : 'Error',
        });
        for (const message of messages)
          message.retry({ delaySeconds: 10 * 2 ** Math.min(message.attempts, 5) });
      }
    }),
  );
}

/** Runs the sender for one tenant; the time it next has work, if any. */
async function runFor(
  runtime: Runtime,
  slug: string,
  log: (record: Record<string, unknown>) => void,
): Promise<Date | undefined> {
  const tenant = await runtime.tenantCache.get(slug, async (s) => {
    const control = runtime.databases.control();
    try {
      return await findTenant(controlDb(control), s);
    } finally {
      runtime.databases.release(control);
    }
  });
  if (tenant?.status !== 'active') return undefined;
  const ctx = await eventsContext(runtime, tenant);
  try {
    await expireDueOffers(runtime, tenant, ctx.db);
    const run = await deliverOutbox(ctx);
    await reportDisabled(runtime, tenant, run.disabled, log);
    return run.nextDueAt;
  } finally {
    runtime.databases.release(ctx.db);
  }
}

/** The Cron Trigger's sweep: a kick for every active tenant, so retries due later are made too. */
export async function sweepOutboxes(runtime: Runtime, queue: Queue<OutboxKick>): Promise<number> {
  const control = runtime.databases.control();
  try {
    const active = (await listTenants(controlDb(control))).filter((t) => t.status === 'active');
    for (let i = 0; i < active.length; i += 100) {
      await queue.sendBatch(active.slice(i, i + 100).map((t) => ({ body: { tenant: t.slug } })));
    }
    return active.length;
  } finally {
    runtime.databases.release(control);
  }
}
