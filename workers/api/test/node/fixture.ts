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
