/** Self-hosting: the same app on Node, on the embedded libSQL files of DATA_DIR. `npm run serve`. */
import { serve } from '@hono/node-server';
import { nodeDatabaseSettings } from '@wijkteams/db/node';
import { createApp } from './app.ts';
import { bufferedStdoutLog } from './log-node.ts';
import { nodeStaticAssets } from './node-assets.ts';
import { nodeRuntime } from './node-runtime.ts';
import { secretsFromDataDir } from './node-secrets.ts';
import { OutboxDrain } from './outbox-drain.ts';

const settings = nodeDatabaseSettings(process.env);
const runtime = nodeRuntime(settings, {
  ...process.env,
  ...secretsFromDataDir(settings.dataDir, process.env),
});
const { log, flush } = bufferedStdoutLog();
// The outbox's sender: after every change, on its retries' timers, and in a sweep every 30 s.
const drain = new OutboxDrain(runtime, { log });
runtime.outbox.kick = (tenant) => drain.kick(tenant);
drain.start();
const app = createApp({ runtime: () => runtime, assets: nodeStaticAssets(), log });
const port = Number(process.env.PORT ?? 8787);
const server = serve({ fetch: app.fetch, port, hostname: process.env.HOST ?? '127.0.0.1' }, (info) =>
  log({ level: 'info', msg: 'listening', url: `http://${info.address}:${info.port}` }),
);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () =>
    server.close(() => {
      drain.stop();
      flush();
      process.exit(0);
    }),
  );
