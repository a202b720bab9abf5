import { createServer, type IncomingHttpHeaders } from 'node:http';
import { type NotifyCatcher, startNotifyCatcher } from '@wijkteams/local/notify';
import { afterEach, beforeEach } from 'vitest';
import { makeWorld, type World } from '../../intake/test/helpers.ts';
import { type EventsContext, notifyChannels } from '../src/index.ts';

export const NOTIFY_KEY =
  'wijkteams_test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0';
export const EMAIL_TEMPLATE = 'f163deaf-2d3f-4ec6-98fc-f23fa511518f';
export const SMS_TEMPLATE = 'a1f64c5c-3d4b-4cbe-8a3e-0b1d2f3e4a5b';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1 that answers each request with the next status of a script. */
export async function startReceiver(
  script: (number | { status: number; headers?: Record<string, string> })[] = [],
) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const next = script.shift() ?? 204;
      const answer = typeof next === 'number' ? { status: next } : next;
      res.writeHead(answer.status, answer.headers ?? {});
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    script,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface EventsWorld {
  world: World;
  ctx: EventsContext;
  notify: NotifyCatcher;
}

/** An intake world (a real libSQL file, a fake clock) with an events context on it and a Notify catcher. */
export function eventsWorldPerTest(): EventsWorld {
  const t = {} as EventsWorld;
  beforeEach(async () => {
    t.world = await makeWorld();
    t.notify = await startNotifyCatcher({
      apiKeys: [NOTIFY_KEY],
      emailTemplateId: EMAIL_TEMPLATE,
      smsTemplateId: SMS_TEMPLATE,
    });
    t.ctx = {
      db: t.world.ctx.db,
      clock: t.world.ctx.clock,
      tenant: { id: t.world.ctx.tenant.id, slug: 'groningen', name: 'Gemeente Groningen' },
      encryptionKey: t.world.ctx.encryptionKey,
      publicBaseUrl: 'https://wijkteams.example.nl',
      channels: notifyChannels({
        apiKey: NOTIFY_KEY,
        baseUrl: t.notify.url,
        emailTemplateId: EMAIL_TEMPLATE,
        smsTemplateId: SMS_TEMPLATE,
      }),
      urlPolicy: 'allow-loopback',
    };
  });
  afterEach(async () => {
    await t.notify.close();
    t.world.close();
  });
  return t;
}

export async function rows(world: World, sql: string, args: (string | number | null)[] = []) {
  return (await world.ctx.db.execute({ sql, args })).rows;
}
