/**
 * The Worker inside workerd (Miniflare), against real libSQL files: every fetch the Worker makes to
 * a database is routed to the local Hrana endpoint running here in Node.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { ensureLocalFleet, registerUnreachableTenant } from '@wijkteams/local/fleet';
import { createHranaApp } from '@wijkteams/local/hrana';
import { defineConfig } from 'vitest/config';

export const WORKERS_ADMIN_KEY = 'workers-test-admin-key-0123456789';
/** Requests to this host never get an answer: a database that hangs. */
export const HANGING_HOST = 'hanging-database.test';

const dataDir = mkdtempSync(join(tmpdir(), 'wt-workerd-'));
const fleetReady = ensureLocalFleet(dataDir).then(() => registerUnreachableTenant(dataDir));
const hrana = createHranaApp({ dataDir });

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: '../../wrangler.toml' },
      miniflare: {
        bindings: {
          CONTROL_DB_URL: 'http://hrana.test/control/',
          LOCAL_LIBSQL_GATEWAY: 'http://hrana.test',
          PLATFORM_ADMIN_KEY: WORKERS_ADMIN_KEY,
          DB_TIMEOUT_MS: '1000',
          TENANT_CACHE_TTL_MS: '0',
        },
        outboundService: async (request: Request) => {
          if (new URL(request.url).hostname === HANGING_HOST) return new Promise<Response>(() => {});
          await fleetReady;
          return hrana.app.fetch(request);
        },
      },
    }),
  ],
  test: {
    name: 'workers',
    include: ['test/workers/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
