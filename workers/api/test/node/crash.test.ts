import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureLocalFleet } from '@wijkteams/local/fleet';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, startServerProcess } from './fixture.ts';
import { seedProviders } from './helpers.ts';

const startServer = (dataDir: string) =>
  startServerProcess(dataDir, { KEY_RATE_LIMIT_PER_MINUTE: '1000000' });

const dataDir = mkdtempSync(join(tmpdir(), 'wt-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const auth = { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' };

describe('a crash in the middle of a load of redemptions', () => {
  it('loses nothing acknowledged, redeems nothing twice, and the chain and balances verify after a restart', async () => {
    await ensureLocalFleet(dataDir);
    await seedProviders(dataDir, 'waalre', ['prv-crash']);
    let server = await startServer(dataDir);
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${server.base}/v1/waalre/voucher-batches`, {
        method: 'POST',
        body: JSON.stringify({ holder: `res-crash-${i}`, count: 100 }),
        headers: { ...auth, 'Idempotency-Key': `crash-issue-${i}` },
      });
      codes.push(...((await res.json()) as { vouchers: { code: string }[] }).vouchers.map((v) => v.code));
    }
    const redeem = (base: string, code: string) =>
      fetch(`${base}/v1/waalre/vouchers/${code}/redemptions`, {
        method: 'POST',
        body: JSON.stringify({ provider: 'prv-crash' }),
        headers: { ...auth, 'Idempotency-Key': `crash-redeem-${code}` },
      }).then(
        (r) => r.status,
        () => 0, // the connection died with the server
      );

    const load = Promise.all(codes.map((code) => redeem(server.base, code)));
    await new Promise((r) => setTimeout(r, 150));
    server.child.kill('SIGKILL');
    const statuses = await load;
    const acknowledged = codes.filter((_, i) => statuses[i] === 201);
    expect(statuses.filter((s) => s === 0).length).toBeGreaterThan(0); // it really died mid-load

    server = await startServer(dataDir);
    try {
      const verification = (await (
        await fetch(`${server.base}/v1/waalre/ledger-verification`, { headers: auth })
      ).json()) as {
        chain: { ok: boolean };
        balances: { ok: boolean; totalCents: number };
      };
      expect(verification).toMatchObject({ chain: { ok: true }, balances: { ok: true, totalCents: 0 } });
      for (const code of acknowledged) {
        const v = (await (
          await fetch(`${server.base}/v1/waalre/vouchers/${code}`, { headers: auth })
        ).json()) as { status: string };
        expect(v.status).toBe('redeemed');
      }
      // Retrying everything with the same keys: what was done replays, the rest completes, once each.
      const retried = await Promise.all(codes.map((code) => redeem(server.base, code)));
      expect(retried.every((s) => s === 201)).toBe(true);
      const report = (await (
        await fetch(`${server.base}/v1/waalre/voucher-reports?from=2020-01-01&to=2099-12-31`, {
          headers: auth,
        })
      ).json()) as { issuedCents: number; redeemedCents: number; outstandingCents: number };
      expect(report).toMatchObject({ issuedCents: 300 * 500, redeemedCents: 300 * 500, outstandingCents: 0 });
    } finally {
      server.child.kill('SIGTERM');
    }
  }, 60_000);
});
