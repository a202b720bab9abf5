/**
 * The outbox, end to end: a help request is taken in (201), its `request.created` event is
 * dispatched and posted, signed, to a webhook receiver on loopback. Measured per runtime:
 * - latency: 200 requests one after another; from the 201 reaching the client to the delivery
 *   reaching the receiver (p50, p99);
 * - throughput: 1,000 requests, 20 at a time; deliveries per second from the first request sent to
 *   the last delivery received (intake included), and every event delivered exactly once.
 */
import { createServer } from 'node:http';

export interface EventRow {
  runtime: string;
  what: string;
  events: number;
  p50: number;
  p99: number;
  perSecond: number | null;
  check: string;
}

const INTAKE = {
  postcode: '9712 CP',
  category: 'odd-jobs',
  description: 'Lamp ophangen in de gang',
  contact: { name: 'Bench', email: 'bench@example.nl' },
  consent: true,
};

async function receiver() {
  const arrivals = new Map<string, number>();
  const ids = new Map<string, string>();
  let duplicates = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { reference: string } };
      const id = String(req.headers['webhook-id']);
      if (ids.has(body.data.reference)) duplicates += 1;
      else {
        ids.set(body.data.reference, id);
        arrivals.set(body.data.reference, at);
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    arrivals,
    duplicates: () => duplicates,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

async function submit(base: string): Promise<{ reference: string; at: number }> {
  const res = await fetch(`${base}/v1/groningen/requests`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(INTAKE),
  });
  if (res.status !== 201) throw new Error(`intake answered ${res.status}: ${await res.text()}`);
  const at = performance.now();
  return { reference: ((await res.json()) as { reference: string }).reference, at };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

/** Both measurements against one running API; the tenant `groningen` must take anonymous intake. */
export async function benchEvents(runtime: string, base: string, adminKey: string): Promise<EventRow[]> {
  const hooks = await receiver();
  try {
    const subscribed = await fetch(`${base}/v1/groningen/webhook-subscriptions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: hooks.url, events: ['request.created'] }),
    });
    if (subscribed.status !== 201) throw new Error(`subscription answered ${subscribed.status}`);

    // Latency: one request at a time, each delivery awaited before the next.
    const latencies: number[] = [];
    for (let i = 0; i < 200; i++) {
      const { reference, at } = await submit(base);
      await waitFor(() => hooks.arrivals.has(reference), 30_000);
      latencies.push((hooks.arrivals.get(reference) ?? Number.NaN) - at);
    }
    const rows: EventRow[] = [
      {
        runtime,
        what: 'event to webhook delivered, one at a time',
        events: latencies.length,
        p50: Math.round(percentile(latencies, 50) * 10) / 10,
        p99: Math.round(percentile(latencies, 99) * 10) / 10,
        perSecond: null,
        check: `${latencies.filter(Number.isNaN).length} lost`,
      },
    ];

    // Throughput: 1,000 at once-ish (20 in flight).
    const started = performance.now();
    const submitted: { reference: string; at: number }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < 1_000) {
          next += 1;
          submitted.push(await submit(base));
        }
      }),
    );
    const all = await waitFor(() => submitted.every((s) => hooks.arrivals.has(s.reference)), 120_000);
    const last = Math.max(...submitted.map((s) => hooks.arrivals.get(s.reference) ?? Number.NaN));
    const lags = submitted.map((s) => (hooks.arrivals.get(s.reference) ?? Number.NaN) - s.at);
    rows.push({
      runtime,
      what: '1,000 events, 20 requests in flight',
      events: submitted.length,
      p50: Math.round(percentile(lags, 50) * 10) / 10,
      p99: Math.round(percentile(lags, 99) * 10) / 10,
      perSecond: all ? submitted.length / ((last - started) / 1000) : null,
      check: `${submitted.filter((s) => !hooks.arrivals.has(s.reference)).length} lost, ${hooks.duplicates()} delivered twice`,
    });
    return rows;
  } finally {
    await hooks.close();
  }
}

export function eventTable(rows: EventRow[]): string {
  return [
    '| runtime | outbox | events | p50 ms | p99 ms | deliveries/s | checked afterwards |',
    '|---|---|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.runtime} | ${r.what} | ${r.events.toLocaleString('en')} | ${r.p50} | ${r.p99} | ${r.perSecond === null ? '–' : Math.round(r.perSecond).toLocaleString('en')} | ${r.check} |`,
    ),
  ].join('\n');
}
