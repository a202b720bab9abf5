/**
 * The Node entry's app (embedded libSQL files, no HTTP hop) with a hello-world Hono route beside it
 * in the same server, so both are measured on the same runtime under the same load.
 */
import { serve } from '@hono/node-server';
import { nodeDatabaseSettings } from '@wijkteams/db/node';
import { Hono } from 'hono';
import { createApp } from '../../workers/api/src/app.ts';
import { bufferedStdoutLog } from '../../workers/api/src/log-node.ts';
import { nodeRuntime } from '../../workers/api/src/node-runtime.ts';
import { helloWithAdrHeaders, helloWithApiHeaders } from './hello-headers.ts';

const runtime = nodeRuntime(nodeDatabaseSettings(process.env), process.env);
const target = new Hono();
target.get('/hello', (c) => c.text('Hello, world!'));
// The same hello world with the headers the API Design Rules require, and with all the headers every
// answer of the API carries (no other middleware).
target.get('/hello-adr', helloWithAdrHeaders);
target.get('/hello-headers', helloWithApiHeaders);
// Logged as the Node entry logs (src/node.ts).
const app = createApp({ runtime: () => runtime, log: bufferedStdoutLog().log });
// The same hello world inside the app, behind all of its middleware (log line, headers, auth).
app.get('/hello-app', (c) => c.text('Hello, world!'));
target.route('/', app);

serve({ fetch: target.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(
    `${JSON.stringify({ api: `http://127.0.0.1:${info.port}`, hello: `http://127.0.0.1:${info.port}` })}\n`,
  );
});
