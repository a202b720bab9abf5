/// <reference types="@cloudflare/vitest-pool-workers/types" />
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

const ADMIN = { Authorization: 'Bearer workers-test-admin-key-0123456789' };
const post = (body: unknown) =>
  SELF.fetch('https://api.example/v1/tenants', {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { ...ADMIN, 'Content-Type': 'application/json' },
  });

describe('onboarding in workerd, through the Turso Platform API', () => {
  it('creates a Turso database, migrates and seeds it over Hrana, and serves the new tenant', async () => {
    const utrecht = { slug: 'utrecht', name: 'Gemeente Utrecht', municipalityCode: 'GM0344' };
    const res = await post(utrecht);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ slug: 'utrecht', status: 'active' });
    expect((await post(utrecht)).status).toBe(200);
    const teams = await SELF.fetch('https://api.example/v1/utrecht/teams');
    expect(teams.status).toBe(200);
    expect(await teams.json()).toEqual({ teams: [] });
  });

  it('leaves a failed tenant visible when Turso fails, and completes it when asked again', async () => {
    const amersfoort = { slug: 'amersfoort', name: 'Gemeente Amersfoort', municipalityCode: 'GM0307' };
    const failed = await post(amersfoort);
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ type: 'urn:wijkteams:problem:provisioning-failed' });
    const shown = await SELF.fetch('https://api.example/v1/tenants/amersfoort', { headers: ADMIN });
    expect(await shown.json()).toMatchObject({ status: 'failed', lastError: expect.stringContaining('503') });
    await expect((await SELF.fetch('https://api.example/v1/amersfoort/teams')).status).toBe(503);

    const again = await post(amersfoort);
    expect(again.status).toBe(201);
    expect(await again.json()).toMatchObject({ status: 'active', lastError: null });
    expect((await SELF.fetch('https://api.example/v1/amersfoort/teams')).status).toBe(200);
  });
});
