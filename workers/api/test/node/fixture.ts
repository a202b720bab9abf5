import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureLocalFleet } from '@wijkteams/local/fleet';
import { createApp } from '../../src/app.ts';
import { nodeRuntime } from '../../src/node-runtime.ts';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
export const ENCRYPTION_SECRET = 'test-request-encryption-secret-0123456789';

/** The app on Node over a fresh, seeded data folder of real libSQL files. */
export async function nodeAppFixture(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'wt-app-'));
  await ensureLocalFleet(dataDir);
  const runtime = nodeRuntime(
    { dataDir, control: { url: 'file:control.db' }, tenantAuthToken: undefined },
    {
      PLATFORM_ADMIN_KEY: ADMIN_KEY,
      DB_TIMEOUT_MS: '1000',
      REQUEST_ENCRYPTION_SECRET: ENCRYPTION_SECRET,
      ...env,
    },
  );
  const app = createApp({ runtime: () => runtime });
  return {
    app,
    runtime,
    dataDir,
    request: (path: string, init?: RequestInit) => app.request(path, init),
    cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/**
 * The app on Node with what makes it tell people and systems: a Notify catcher that speaks the
 * Notify API (the real sending code runs) and the drain loop the Node server runs.
 */
export async function notifyingAppFixture(env: Record<string, string> = {}) {
  const { startNotifyCatcher } = await import('@wijkteams/local/notify');
  const { OutboxDrain } = await import('../../src/outbox-drain.ts');
  const { EMAIL_TEMPLATE, NOTIFY_KEY, SMS_TEMPLATE } = await import(
    '../../../../packages/events/test/helpers.ts'
  );
  const notify = await startNotifyCatcher({
    apiKeys: [NOTIFY_KEY],
    emailTemplateId: EMAIL_TEMPLATE,
    smsTemplateId: SMS_TEMPLATE,
  });
  const app = await nodeAppFixture({
    NOTIFY_API_KEY: NOTIFY_KEY,
    NOTIFY_BASE_URL: notify.url,
    NOTIFY_EMAIL_TEMPLATE_ID: EMAIL_TEMPLATE,
    NOTIFY_SMS_TEMPLATE_ID: SMS_TEMPLATE,
    LOCAL_NOTIFY_URL: notify.url,
    ...env,
  });
  // A long sweep: the tests kick the loop by their requests, as the server does after each change.
  const drain = new OutboxDrain(app.runtime, { sweepMs: 3_600_000 });
  app.runtime.outbox.kick = (tenant) => drain.kick(tenant);
  drain.start();
  return {
    ...app,
    notify,
    drain,
    async cleanup() {
      drain.stop();
      await notify.close();
      app.cleanup();
    },
  };
}

/**
 * The self-hosted server (`workers/api/src/node.ts`) as its own process, so that a test can kill it
 * like a crashing machine and start it again on the same data.
 */
export async function startServerProcess(dataDir: string, env: Record<string, string> = {}) {
  const { spawn } = await import('node:child_process');
  const { createInterface } = await import('node:readline');
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/api/src/node.ts'], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: '0',
      PLATFORM_ADMIN_KEY: ADMIN_KEY,
      REQUEST_ENCRYPTION_SECRET: ENCRYPTION_SECRET,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const url = /"url":"([^"]+)"/.exec(line)?.[1];
      if (url) resolve(url.replace('0.0.0.0', '127.0.0.1'));
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, base };
}
