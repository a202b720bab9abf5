/// <reference types="@cloudflare/vitest-pool-workers/types" />
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

describe('a tenant database that does not answer', () => {
  it('gives a 503 problem within the configured bound (DB_TIMEOUT_MS = 3 s), not a hang', async () => {
    const started = Date.now();
    const res = await SELF.fetch('https://api.example/v1/unreachable/teams');
    const elapsed = Date.now() - started;
    expect(res.status).toBe(503);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ type: 'urn:wijkteams:problem:database-unavailable' });
    expect(elapsed).toBeGreaterThanOrEqual(2_900);
    expect(elapsed).toBeLessThan(8_000);
  });
});
