/// <reference types="@cloudflare/vitest-pool-workers/types" />
/**
 * The offer link in workerd: the provider's message goes out through the Queue and the Notify API,
 * the link's page is HTML from the Worker, and its form answers the offer once.
 */
import { SELF } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';

const ADMIN = {
  Authorization: 'Bearer workers-test-admin-key-0123456789',
  'Content-Type': 'application/json',
};
const post = (path: string, body: object) =>
  SELF.fetch(`https://api.example/v1/zeist${path}`, {
    method: 'POST',
    headers: ADMIN,
    body: JSON.stringify(body),
  });

describe('an offer link in workerd', () => {
  it('reaches the provider, shows the offer without the resident, and answers once', async () => {
    const provider = (await (
      await post('/providers', {
        name: 'Wijkservicepunt vrijwilligers',
        tier: 'volunteers',
        categories: ['errands'],
        contact: { email: 'wsp@example.nl' },
      })
    ).json()) as { id: string };
    const intake = await SELF.fetch('https://api.example/v1/zeist/requests', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        postcode: '3701 AA',
        category: 'errands',
        description: 'Apotheek ophalen',
        contact: { name: 'C. de Wit', email: 'c.dewit@example.nl' },
        consent: true,
      }),
    });
    const { reference } = (await intake.json()) as { reference: string };
    expect((await post(`/requests/${reference}/transitions`, { to: 'triaged' })).status).toBe(200);
    expect(
      (await post(`/requests/${reference}/transitions`, { to: 'offered', providerId: provider.id })).status,
    ).toBe(200);

    const token = await vi.waitFor(
      async () => {
        const { messages } = (await (await fetch('http://notify.test/_catcher/messages')).json()) as {
          messages: { to: string; body: string }[];
        };
        const found = /\/o\/(zeist\.[A-Za-z0-9_-]{43})/.exec(
          messages.find((m) => m.to === 'wsp@example.nl')?.body ?? '',
        )?.[1];
        if (!found) throw new Error('no offer message yet');
        return found;
      },
      { timeout: 10_000, interval: 50 },
    );
    const page = await SELF.fetch(`https://api.example/o/${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Security-Policy')).toContain("form-action 'self'");
    const html = await page.text();
    expect(html).toContain('3701');
    expect(html).not.toMatch(/de Wit|Apotheek|c\.dewit/);
    const answer = (value: string) =>
      SELF.fetch(`https://api.example/o/${token}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
        body: `answer=${value}`,
      });
    const accepted = await answer('accept');
    expect(accepted.status).toBe(200);
    expect(await accepted.text()).toContain('C. de Wit');
    expect((await answer('accept')).status).toBe(410);
  });
});
