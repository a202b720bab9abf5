/**
 * The daily maintenance on Workers, one Queue message per tenant: the Cron Trigger only lists the
 * active tenants and sends the messages (`enqueueMaintenance`); the consumer (`consumeMaintenance`)
 * does each tenant's work in invocations of its own. A slow or failing tenant holds only its own
 * message, which Queues retries and, after `max_retries`, moves to the dead-letter queue
 * (wrangler.toml); the other tenants are done and acknowledged.
 */
import { controlDb, mapBounded, type Tenant, tenants } from '@wijkteams/db';
import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import { consoleLog, type Log } from '../log.ts';
import { activeTenants, maintainTenant } from '../maintenance.ts';
import type { Runtime } from '../runtime.ts';

/** The queue's name in wrangler.toml, as a consumer sees it in `batch.queue`. */
export const MAINTENANCE_QUEUE = 'wijkteams-maintenance';

export const MaintenanceMessageSchema = z.object({
  tenantId: z.string().regex(/^ten_[0-9a-z]+$/),
  /** The Cron Trigger's time, so a retried message works as of the day it was sent for. */
  scheduledTime: z.number().int().positive(),
});
export type MaintenanceMessage = z.infer<typeof MaintenanceMessageSchema>;

/** Queues accepts at most 100 messages per sendBatch. */
const SEND_BATCH = 100;
/** Messages of one batch worked on at once (Workers allow six open connections per invocation). */
const BATCH_CONCURRENCY = 5;

/** Sends one message per active tenant; returns how many. */
export async function enqueueMaintenance(
  runtime: Runtime,
  queue: Queue<MaintenanceMessage>,
  now: Date,
): Promise<number> {
  const messages = (await activeTenants(runtime)).map((tenant) => ({
    body: { tenantId: tenant.id, scheduledTime: now.getTime() },
    contentType: 'json' as const,
  }));
  for (let i = 0; i < messages.length; i += SEND_BATCH)
    await queue.sendBatch(messages.slice(i, i + SEND_BATCH));
  return messages.length;
}

/**
 * Maintains the tenant of each message and acknowledges it; a tenant whose work failed is retried
 * later, on its own. A message that is not a maintenance message, or whose tenant is no longer
 * active, is acknowledged with nothing done: retrying would not change it.
 */
export async function consumeMaintenance(
  runtime: Runtime,
  batch: MessageBatch<unknown>,
  log: Log = consoleLog,
): Promise<void> {
  const parsed = batch.messages.map((message) => ({
    message,
    body: MaintenanceMessageSchema.safeParse(message.body),
  }));
  const ids = parsed.flatMap((p) => (p.body.success ? [p.body.data.tenantId] : []));
  const control = runtime.databases.control();
  let byId: Map<string, Tenant>;
  try {
    const rows = ids.length
      ? await controlDb(control).select().from(tenants).where(inArray(tenants.id, ids))
      : [];
    byId = new Map(rows.map((row) => [row.id, row]));
  } catch (error) {
    // Without the control database no message can be worked on: all of them again, later.
    log({ level: 'error', msg: 'maintenance', error: error instanceof Error ? error.name : 'Error' });
    batch.retryAll({ delaySeconds: 60 });
    return;
  } finally {
    runtime.databases.release(control);
  }

  await mapBounded(parsed, BATCH_CONCURRENCY, async ({ message, body }) => {
    if (!body.success) {
      log({ level: 'error', msg: 'maintenance', messageId: message.id, error: 'not a maintenance message' });
      message.ack();
      return;
    }
    const tenant = byId.get(body.data.tenantId);
    if (tenant?.status !== 'active') {
      log({
        level: 'info',
        msg: 'maintenance',
        tenantId: body.data.tenantId,
        skipped: tenant?.status ?? 'gone',
      });
      message.ack();
      return;
    }
    const result = await maintainTenant(runtime, tenant, new Date(body.data.scheduledTime));
    if (result.error) {
      log({ level: 'warn', msg: 'maintenance', ...result, attempts: message.attempts });
      message.retry({ delaySeconds: Math.min(60 * message.attempts, 600) });
    } else {
      log({ level: 'info', msg: 'maintenance', ...result });
      message.ack();
    }
  });
}
