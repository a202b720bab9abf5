import { controlDb, type Tenant } from '@wijkteams/db';
import { deliverOutbox } from '@wijkteams/events';
import { listTenants } from '@wijkteams/tenants';
import { eventsContext, reportDisabled } from './events.ts';
import type { Log } from './log.ts';
import { expireDueOffers } from './maintenance.ts';
import type { Runtime } from './runtime.ts';

/**
 * The Node server's sender: what the Queue consumer does in a Worker, in one loop. A kick after a
 * request runs the tenant's sender at once; a timer wakes it when its next retry is due; a sweep of
 * every tenant every `sweepMs` (and at start) picks up what other processes wrote and what a crash
 * left unsent. One run per tenant at a time; a kick during a run makes one more run after it.
 */
export class OutboxDrain {
  private readonly state = new Map<string, { running: boolean; again: boolean; timer?: NodeJS.Timeout }>();
  private sweeper: NodeJS.Timeout | undefined;
  private stopped = true;
  private readonly idle = new Set<() => void>();

  constructor(
    private readonly runtime: Runtime,
    private readonly options: { sweepMs?: number; log?: Log } = {},
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.sweep();
    this.sweeper = setInterval(() => void this.sweep(), this.options.sweepMs ?? 30_000);
    this.sweeper.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.sweeper);
    for (const entry of this.state.values()) clearTimeout(entry.timer);
  }

  kick(slug: string): void {
    if (this.stopped) return;
    const entry = this.state.get(slug) ?? { running: false, again: false };
    this.state.set(slug, entry);
    if (entry.running) {
      entry.again = true;
      return;
    }
    clearTimeout(entry.timer);
    entry.timer = undefined;
    void this.run(slug, entry);
  }

  /** Resolves when no run is going on (tests, shutdown). */
  async settled(): Promise<void> {
    while ([...this.state.values()].some((e) => e.running)) {
      await new Promise<void>((resolve) => this.idle.add(resolve));
    }
  }

  private async run(slug: string, entry: { running: boolean; again: boolean; timer?: NodeJS.Timeout }) {
    entry.running = true;
    let next: Date | undefined;
    try {
      do {
        entry.again = false;
        next = await this.deliver(slug);
      } while (entry.again && !this.stopped);
    } catch (error) {
      this.options.log?.({
        level: 'error',
        msg: 'outbox run failed',
        tenant: slug,
        error: error instanceof Error ? error.name : 'Error',
      });
      next = new Date(Date.now() + 10_000);
    } finally {
      entry.running = false;
      for (const resolve of this.idle) resolve();
      this.idle.clear();
    }
    if (next && !this.stopped) {
      const wait = Math.max(0, next.getTime() - Date.now());
      // Timers further out than the sweep are left to the sweep.
      if (wait < (this.options.sweepMs ?? 30_000)) {
        entry.timer = setTimeout(() => this.kick(slug), wait);
        entry.timer.unref();
      }
    }
  }

  private async deliver(slug: string): Promise<Date | undefined> {
    const tenant = await this.tenant(slug);
    if (!tenant) return undefined;
    const ctx = await eventsContext(this.runtime, tenant);
    await expireDueOffers(this.runtime, tenant, ctx.db);
    const run = await deliverOutbox(ctx);
    await reportDisabled(this.runtime, tenant, run.disabled, this.options.log);
    return run.nextDueAt;
  }

  private tenants: Map<string, Tenant> | undefined;

  private async tenant(slug: string): Promise<Tenant | undefined> {
    if (!this.tenants?.has(slug)) await this.loadTenants();
    const tenant = this.tenants?.get(slug);
    return tenant?.status === 'active' ? tenant : undefined;
  }

  private async loadTenants(): Promise<Tenant[]> {
    const all = await listTenants(controlDb(this.runtime.databases.control()));
    this.tenants = new Map(all.map((t) => [t.slug, t]));
    return all;
  }

  private async sweep(): Promise<void> {
    try {
      for (const tenant of await this.loadTenants()) if (tenant.status === 'active') this.kick(tenant.slug);
    } catch (error) {
      this.options.log?.({
        level: 'error',
        msg: 'outbox sweep failed',
        error: error instanceof Error ? error.name : 'Error',
      });
    }
  }
}
