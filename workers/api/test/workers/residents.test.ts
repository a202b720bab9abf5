/// <reference types="@cloudflare/vitest-pool-workers/types" />
/**
 * What residents use, inside workerd: the status page the confirmation links to, the two scripts
 * from Workers Static Assets, intake with an Idempotency-Key, and withdrawal before and after
 * acceptance.
 */
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

const ADMIN = {
  Authorization: 'Bearer workers-test-admin-key-0123456789',
  'Content-Type': 'application/json',
};
const call = (path: string, init?: RequestInit) => SELF.fetch(`https://api.example${path}`, init);
const intake = {
  postcode: '9712CP',
  houseNumber: 12,
  houseLetter: 'b',
  category: 'odd-jobs',
  description: 'Een kast ophangen.',
  contact: { name: 'Kees', phone: '050 123 4567', preferredChannel: 'phone' },
  consent: true,
  shareWithProvider: true,
};
const submit = (headers: Record<string, string> = {}) =>
  call('/v1/groningen/requests', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(intake),
  });
type Receipt = { reference: string; statusToken: string };

describe('the status page in workerd', () => {
  it('is HTML under a strict policy, sends no referrer, and loads its script from this host', async () => {
    const res = await call('/status/groningen/GRO-2026-000001');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(res.headers.get('Content-Security-Policy')).toMatch(
      /default-src 'none'; script-src 'self'; connect-src 'self'/,
    );
    expect(res.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).toContain('<script type="module" src="/status.js"></script>');
    expect(html).toContain('data-municipality="Gemeente Groningen"');
  });

  it('is a 404 page for a municipality that is not here or a reference that cannot be one', async () => {
    for (const path of ['/status/amsterdam/AMS-2026-000001', '/status/groningen/not-a-reference']) {
      const res = await call(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toContain('Deze pagina bestaat niet');
    }
  });

  it('has its script and the help form among the static assets', async () => {
    const assets = (env as unknown as { ASSETS: Fetcher }).ASSETS;
    const form = await assets.fetch('https://api.example/hulpvraag.js');
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('customElements.define("wijkteam-hulpvraag"');
    const script = await assets.fetch('https://api.example/status.js');
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('Status-Token');
  });
});

describe('intake and withdrawal in workerd', () => {
  it('replays the first receipt for the same Idempotency-Key and body', async () => {
    const key = { 'Idempotency-Key': crypto.randomUUID() };
    const first = await submit(key);
    expect(first.status).toBe(201);
    const again = await submit(key);
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual(await first.json());
  });

  it('withdraws before acceptance (200, cancelled) and refuses after it (409)', async () => {
    const early = (await (await submit()).json()) as Receipt;
    const withdraw = (r: Receipt) =>
      call(`/v1/groningen/requests/${r.reference}/withdrawal`, {
        method: 'POST',
        headers: { 'Status-Token': r.statusToken },
      });
    const withdrawn = await withdraw(early);
    expect(withdrawn.status).toBe(200);
    expect(await withdrawn.json()).toMatchObject({ status: 'cancelled', withdrawable: false });

    const late = (await (await submit()).json()) as Receipt;
    const provider = (await (
      await call('/v1/groningen/providers', {
        method: 'POST',
        headers: ADMIN,
        body: JSON.stringify({
          name: 'Klusgroep workerd',
          tier: 'volunteers',
          categories: ['odd-jobs'],
          contact: { email: 'klussen@example.org' },
        }),
      })
    ).json()) as { id: string };
    for (const step of [
      { to: 'triaged' },
      { to: 'offered', providerId: provider.id },
      { to: 'accepted', providerId: provider.id },
    ]) {
      const moved = await call(`/v1/groningen/requests/${late.reference}/transitions`, {
        method: 'POST',
        headers: ADMIN,
        body: JSON.stringify(step),
      });
      expect(moved.status, step.to).toBe(200);
    }
    const refused = await withdraw(late);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ type: 'urn:wijkteams:problem:withdrawal-too-late' });
  });
});
