/** Self-hosting: the same app on Node, on the embedded libSQL files of DATA_DIR. `npm run serve`. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { nodeDatabaseSettings } from '@wijkteams/db/node';
import { createApp } from './app.ts';
import { nodeStaticAssets } from './node-assets.ts';
import { nodeRuntime } from './node-runtime.ts';

const settings = nodeDatabaseSettings(process.env);
/** Secrets `npm start` generated into the data folder serve here too, unless the environment sets them. */
const fromDataDir = (name: string) => {
  const file = join(settings.dataDir, name);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
};
const runtime = nodeRuntime(settings, {
  ...process.env,
  PLATFORM_ADMIN_KEY: process.env.PLATFORM_ADMIN_KEY ?? fromDataDir('platform-admin-key'),
  REQUEST_ENCRYPTION_SECRET:
    process.env.REQUEST_ENCRYPTION_SECRET ?? fromDataDir('request-encryption-secret'),
});
const app = createApp({ runtime: () => runtime, assets: nodeStaticAssets() });
const port = Number(process.env.PORT ?? 8787);
const server = serve({ fetch: app.fetch, port, hostname: process.env.HOST ?? '127.0.0.1' }, (info) =>
  console.log(
    JSON.stringify({ level: 'info', msg: 'listening', url: `http://${info.address}:${info.port}` }),
  ),
);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => server.close(() => process.exit(0)));
