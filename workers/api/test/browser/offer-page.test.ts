/**
 * The offer link's page in a real Chromium: a volunteer with no account reads the offer, answers it
 * with the keyboard alone, and every page passes axe-core (WCAG 2.1 A and AA). Screenshots: see
 * keepScreenshot (test-results/offer-page/ each run; test/browser/artifacts/ where missing).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { NotifyCatcher } from '@wijkteams/local/notify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { OutboxDrain } from '../../src/outbox-drain.ts';
import { ADMIN_KEY, notifyingAppFixture } from '../node/fixture.ts';
import { axeViolations, chromiumAvailability, keepScreenshot, launchChromium } from './harness.ts';

const availability = chromiumAvailability();
const RUN_SHOTS = 'test-results/offer-page';

describe.runIf(availability.run)('the offer page in Chromium', () => {
  let browser: Browser;
  let notify: NotifyCatcher;
  let fixture: Awaited<ReturnType<typeof notifyingAppFixture>>;
  let drain: OutboxDrain;
  let server: Server;
  let base = '';
  beforeAll(async () => {
    fixture = await notifyingAppFixture({ PUBLIC_RATE_LIMIT_PER_MINUTE: '100000' });
    notify = fixture.notify;
    drain = fixture.drain;
    server = serve({
      fetch: createApp({ runtime: () => fixture.runtime }).fetch,
      port: 0,
      hostname: '127.0.0.1',
    }) as Server;
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
    await fixture.cleanup();
  });

  async function offeredLink(language: 'nl' | 'en', email: string): Promise<string> {
    const admin = { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' };
    const post = (path: string, body: object) =>
      fetch(`${base}/v1/groningen${path}`, { method: 'POST', headers: admin, body: JSON.stringify(body) });
    const provider = (await (
      await post('/providers', {
        name: language === 'en' ? 'Student helpers' : 'Buurtklussers Oost',
        tier: 'volunteers',
        categories: ['odd-jobs'],
        contact: { email },
        language,
      })
    ).json()) as { id: string };
    const { reference } = (await (
      await fetch(`${base}/v1/groningen/requests`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          postcode: '9712 CP',
          category: 'odd-jobs',
          description: 'Gordijnrail ophangen',
          contact: { name: 'T. Bos', phone: '06 12121212' },
          consent: true,
        }),
      })
    ).json()) as { reference: string };
    await post(`/requests/${reference}/transitions`, { to: 'triaged' });
    await post(`/requests/${reference}/transitions`, { to: 'offered', providerId: provider.id });
    await drain.settled();
    const body = notify.messages().find((m) => m.to === email)?.body ?? '';
    const link = /(http:\/\/\S+\/o\/\S+)/.exec(body)?.[1];
    if (!link) throw new Error(`no link in ${body}`);
    // PUBLIC_BASE_URL is the default here; the server listens on a port of its own.
    return link.replace(/^http:\/\/[^/]+/, base);
  }

  it('is read and answered with the keyboard, in Dutch, and passes axe on every page', async () => {
    const link = await offeredLink('nl', 'oost@example.nl');
    const page = await browser.newPage();
    await page.goto(link);
    expect(await page.locator('h1').textContent()).toBe('Hulpvraag voor u');
    expect(await page.content()).not.toContain('T. Bos');
    expect(await axeViolations(page)).toEqual([]);
    await keepScreenshot(page, 'offer-page-nl', RUN_SHOTS);
    // Tab to "Ja, ik help" (after the note field) and press Enter.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | null>('document.activeElement?.textContent')).toBe('Ja, ik help');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').textContent()).toBe('Dank u wel! U helpt met deze vraag.');
    expect(await page.content()).toContain('T. Bos');
    expect(await axeViolations(page)).toEqual([]);
    await keepScreenshot(page, 'offer-accepted-nl', RUN_SHOTS);
    // The same link again: used.
    const again = await page.goto(link);
    expect(again?.status()).toBe(410);
    expect(await axeViolations(page)).toEqual([]);
    await keepScreenshot(page, 'offer-gone-nl', RUN_SHOTS);
    await page.close();
  });

  it('speaks English to a provider who reads English, at 320 px wide', async () => {
    const link = await offeredLink('en', 'students@example.nl');
    const page = await browser.newPage({ viewport: { width: 320, height: 720 } });
    await page.goto(link);
    expect(await page.locator('h1').textContent()).toBe('A request for you');
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('en');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    expect(await axeViolations(page)).toEqual([]);
    await keepScreenshot(page, 'offer-page-en-320', RUN_SHOTS);
    await page.close();
  });
});
