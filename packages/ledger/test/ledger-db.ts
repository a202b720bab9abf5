import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@libsql/client';
import { applyMigrations, migrations } from '@wijkteams/db';
import { createNodeClient } from '@wijkteams/db/node';
import type { LedgerContext } from '../src/index.ts';

/** A folder of real libSQL files for one test file, removed afterwards. */
export function scratchFolder(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), `wt-ledger-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

let counter = 0;

/** A new tenant database file, migrated like a provisioned tenant. */
export async function tenantDatabase(dataDir: string): Promise<{ client: Client; url: string }> {
  counter += 1;
  const url = `file:tenant-${counter}.db`;
  const client = createNodeClient({ url }, { dataDir, create: true });
  await applyMigrations(client, migrations.tenant);
  return { client, url };
}

/** A clock that only moves when the test moves it. */
export function manualClock(start = '2026-03-02T09:00:00.000Z') {
  let now = new Date(start).getTime();
  return {
    clock: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
    set(at: string | Date) {
      now = new Date(at).getTime();
    },
  };
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export async function newLedger(dataDir: string, start?: string) {
  const { client, url } = await tenantDatabase(dataDir);
  const time = manualClock(start);
  const ctx: LedgerContext = { db: client, clock: time.clock };
  return { ctx, time, url };
}

/** Narrows a result to the expected status, failing the test with the actual result otherwise. */
export function expectStatus<R extends { status: string }, S extends R['status']>(
  result: R,
  status: S,
): Extract<R, { status: S }> {
  if (result.status !== status) {
    throw new Error(`Expected ${status}, got ${JSON.stringify(result)}`);
  }
  return result as Extract<R, { status: S }>;
}
