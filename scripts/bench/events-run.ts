/**
 * `npx tsx scripts/bench/events-run.ts`: the outbox rows of the benchmark on their own, against the
 * Node entry and against the Worker under `npm start` (wrangler dev, with its real Queue). Also run
 * by `npm run bench`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureLocalFleet } from '../../packages/local/src/fleet.ts';
import { benchEvents, type EventRow, eventTable } from './events.ts';

const root = resolve(import.meta.dirname, '../..');
const ADMIN = 'bench-admin-key-0123456789abcdef';
const LIMITS = { PUBLIC_RATE_LIMIT_PER_MINUTE: '1000000', KEY_RATE_LIMIT_PER_MINUTE: '1000000' };

async function announced(child: ChildProcess, logFile: string, pattern: RegExp): Promise<string> {
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  for (;;) {
    const found = pattern.exec(readFileSync(logFile, 'utf8'))?.[1];
    if (found) return found;
    if (exited !== null) throw new Error(`exited with ${exited}; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

export async function measureEvents(): Promise<EventRow[]> {
  const rows: EventRow[] = [];
  const nodeDir = mkdtempSync(join(tmpdir(), 'wt-bench-events-node-'));
  const workerDir = mkdtempSync(join(tmpdir(), 'wt-bench-events-worker-'));
  try {
    await ensureLocalFleet(nodeDir);
    const nodeLog = join(nodeDir, 'server.log');
    const node = spawn(process.execPath, ['--import', 'tsx', 'workers/api/src/node.ts'], {
      cwd: root,
      env: {
        ...process.env,
        ...LIMITS,
        DATA_DIR: nodeDir,
        PORT: '0',
        PLATFORM_ADMIN_KEY: ADMIN,
        REQUEST_ENCRYPTION_SECRET: 'bench-request-encryption-secret-0123456789',
        WEBHOOKS_ALLOW_LOOPBACK: 'true',
      },
      stdio: ['ignore', openSync(nodeLog, 'w'), 'inherit'],
    });
    try {
      const url = (await announced(node, nodeLog, /"url":"([^"]+)"/)).replace('0.0.0.0', '127.0.0.1');
      rows.push(...(await benchEvents('Node (npm run serve)', url, ADMIN)));
    } finally {
      await stop(node);
    }

    const port = String(18_000 + Math.floor(Math.random() * 1_000));
    const workerLog = join(workerDir, 'start.log');
    const worker = spawn(process.execPath, ['--import', 'tsx', 'packages/local/src/start.ts'], {
      cwd: root,
      env: { ...process.env, ...LIMITS, DATA_DIR: workerDir, PORT: port, PLATFORM_ADMIN_KEY: ADMIN },
      stdio: ['ignore', openSync(workerLog, 'w'), 'inherit'],
    });
    try {
      await announced(worker, workerLog, /(Wijkteams API is running)/);
      rows.push(
        ...(await benchEvents('Worker (npm start: wrangler dev, Queue)', `http://127.0.0.1:${port}`, ADMIN)),
      );
    } finally {
      await stop(worker);
    }
  } finally {
    rmSync(nodeDir, { recursive: true, force: true });
    rmSync(workerDir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  console.log(eventTable(await measureEvents()));
}
