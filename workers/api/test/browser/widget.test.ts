/**
 * `<wijkteam-zoeker>` in a real browser: embedded from another origin, against the real app on
 * Node over seeded libSQL files. Needs Debian's Chromium (`apt-get install -y chromium`).
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  axeViolations,
  chromiumAvailability,
  focusedInWidget,
  focusOutline,
  launchChromium,
  type Sites,
  startSites,
  watchPageErrors,
} from './harness.ts';

const chromium = chromiumAvailability();
const suite = chromium.run ? describe : describe.skip;

suite('<wijkteam-zoeker> in Chromium', () => {
  let sites: Sites;
  let browser: Browser;
  let page: Page;
  /** Uncaught errors, and what a Content-Security-Policy refused. */
  let pageErrors: string[];

  beforeAll(async () => {
    if (chromium.missing) throw new Error(chromium.missing);
    [sites, browser] = await Promise.all([startSites(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await sites?.stop();
  });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 800, height: 1000 } });
    pageErrors = [];
    watchPageErrors(page, pageErrors);
  });
  afterEach(async () => {
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  const openMunicipalityPage = async () => {
    await page.goto(sites.municipality);
    await page.getByRole('heading', { name: 'Vind uw wijkteam' }).waitFor();
  };
  const search = async (postcode: string) => {
    const field = page.locator('wijkteam-zoeker').getByLabel('Postcode');
    await field.fill(postcode);
    await field.press('Enter');
  };
  const liveRegion = () => page.getByRole('status');
  const result = () => page.locator('wijkteam-zoeker .result');
  /** After a failed search: a retry button, the failure announced, and still no axe violations. */
  const retryOffered = async () => {
    const retry = page.getByRole('button', { name: 'Opnieuw proberen' });
    await retry.waitFor();
    await expect.poll(() => liveRegion().textContent()).toContain('Het zoeken is niet gelukt');
    expect(await axeViolations(page)).toEqual([]);
    return retry;
  };

  it('shows the team for a postcode typed on another origin and submitted with Enter', async () => {
    await openMunicipalityPage();
    await search('9712 cp');
    await page.getByRole('heading', { name: 'WIJ Centrum' }).waitFor();
    const team = page.locator('wijkteam-zoeker article');
    const text = await team.innerText();
    expect(text).toContain('Voor postcode 9712 CP');
    expect(text).toContain('Oude Boteringestraat 1');
    expect(text).toContain('050 367 91 00');
    expect(text).toContain('centrum@wij.groningen.nl');
    expect(text).toContain('Voorbeeldgegevens');
    expect(text).toMatch(/Nu open, tot \d\d:\d\d uur|Nu gesloten/);
    expect(await team.getByRole('row').count()).toBe(7);
    expect(await team.getByRole('link', { name: '050 367 91 00' }).getAttribute('href')).toBe(
      'tel:0503679100',
    );
    await expect
      .poll(() => liveRegion().textContent())
      .toMatch(/^WIJ Centrum helpt bij postcode 9712 CP\. (Nu open, tot \d\d:\d\d uur|Nu gesloten)/);
    expect(await page.getByLabel('Postcode').inputValue()).toBe('9712 CP');
    // Styled under the page's strict policy (no inline styles allowed): the default accent colour.
    expect(
      await page.evaluate<string>(
        `getComputedStyle(document.querySelector('wijkteam-zoeker').shadowRoot.querySelector('button')).backgroundColor`,
      ),
    ).toBe('rgb(11, 87, 164)');

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/widget.png', fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows a temporary closure instead of “open now”, and no example notice for real data', async () => {
    await page.route('**/v1/groningen/postcodes/9713*', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { team: Record<string, unknown> };
      body.team = { ...body.team, closureMessage: 'Gesloten op 27 april (Koningsdag).', isExample: false };
      await route.fulfill({ response, json: body });
    });
    await openMunicipalityPage();
    await search('9713 AA');
    await page.getByRole('heading', { name: 'WIJ Centrum' }).waitFor();
    const text = await result().innerText();
    expect(text).toContain('Let op: Gesloten op 27 april (Koningsdag).');
    expect(text).not.toMatch(/Nu open|Nu gesloten|Voorbeeldgegevens/);
    // Heard too, not only seen.
    await expect
      .poll(() => liveRegion().textContent())
      .toContain('Let op: Gesloten op 27 april (Koningsdag).');

    // On an English page, what the municipality wrote is still marked as Dutch (WCAG 3.1.2).
    await page.evaluate(`document.querySelector('wijkteam-zoeker').setAttribute('lang', 'en')`);
    await search('9713 AA');
    await result().getByText('Please note:').waitFor();
    expect(await result().getByText('Gesloten op 27 april (Koningsdag).').getAttribute('lang')).toBe('nl');
  });

  it('keeps “open now” current while the page stays open', async () => {
    // Monday 6 July 2026, 16:59 in the Netherlands; WIJ Centrum closes at 17:00.
    await page.clock.install({ time: new Date('2026-07-06T14:59:00Z') });
    await openMunicipalityPage();
    await search('9712 CP');
    await result().getByText('Nu open, tot 17:00 uur').waitFor();
    await page.clock.runFor(2 * 60_000);
    await result().getByText('Nu gesloten, weer open dinsdag om 09:00 uur').waitFor();
    expect(await result().getByText('Nu open').count()).toBe(0);

    // Moved elsewhere in the page, the card stays current: Tuesday 09:00 opens it again.
    await page.evaluate(`document.body.append(document.querySelector('wijkteam-zoeker'))`);
    await page.clock.runFor(16 * 60 * 60_000);
    await result().getByText('Nu open, tot 17:00 uur').waitFor();
  });

  it('says the municipality has no team yet for one of its own postcodes (not “another municipality”)', async () => {
    await page.route('**/v1/groningen/postcodes/9712CP*', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/problem+json',
        headers: { 'Access-Control-Allow-Origin': '*' },
        body: JSON.stringify({ type: 'urn:wijkteams:problem:postcode-not-served', status: 404 }),
      }),
    );
    await openMunicipalityPage();
    await search('9712 CP');
    await result().getByText('Deze gemeente heeft nog geen team voor postcode 9712 CP.').waitFor();
    expect(await result().innerText()).not.toContain('valt niet onder');
  });

  it('says which municipality serves a postcode this one does not', async () => {
    await openMunicipalityPage();
    await search('3511AB');
    await result().getByText('Postcode 3511 AB valt niet onder deze gemeente.').waitFor();
    await result().getByText('Deze postcode hoort bij de gemeente Utrecht.').waitFor();
    await expect.poll(() => liveRegion().textContent()).toContain('gemeente Utrecht');
  });

  it('names the team of another municipality that uses the service', async () => {
    await openMunicipalityPage();
    await search('3701 CH');
    await result().getByText('Deze postcode hoort bij de gemeente Zeist.').waitFor();
    await page.getByRole('heading', { name: 'Sociaal team Zeist' }).waitFor();
  });

  it('says so when no municipality is known for a postcode', async () => {
    await openMunicipalityPage();
    await search('1000 AB');
    await result().getByText('We weten niet bij welke gemeente deze postcode hoort').waitFor();
    await expect.poll(() => liveRegion().textContent()).toContain('Klopt de postcode?');
  });

  it('offers a retry when the national lookup fails after “not served here”', async () => {
    await page.route('**/v1/postcodes/**', (route) => route.abort('internetdisconnected'));
    await openMunicipalityPage();
    await search('3511AB');
    await result().getByText('Postcode 3511 AB valt niet onder deze gemeente.').waitFor();
    const retry = await retryOffered();

    await page.unrouteAll();
    await retry.click();
    await result().getByText('Deze postcode hoort bij de gemeente Utrecht.').waitFor();
  });

  it('asks for the letters when only the four digits are typed', async () => {
    await openMunicipalityPage();
    await search('9712');
    await page.locator('wijkteam-zoeker #postcode-error').getByText('Vul de hele postcode in').waitFor();
  });

  it('tells too many searches (with the server’s wait) and a fault of the service from a network error', async () => {
    let answer: { status: number; headers: Record<string, string> } = {
      status: 429,
      headers: { 'Retry-After': '14', 'Access-Control-Expose-Headers': 'Retry-After' },
    };
    await page.route('**/v1/groningen/postcodes/**', (route) =>
      route.fulfill({
        status: answer.status,
        contentType: 'application/problem+json',
        headers: { 'Access-Control-Allow-Origin': '*', ...answer.headers },
        body: JSON.stringify({ type: 'about:blank', status: answer.status }),
      }),
    );
    await openMunicipalityPage();
    await search('9712 CP');
    await result().getByText('Probeer het over 14 seconden opnieuw.').waitFor();
    await expect.poll(() => liveRegion().textContent()).toContain('Er wordt nu veel gezocht');
    expect(await result().innerText()).not.toContain('internetverbinding');

    answer = { status: 503, headers: {} };
    await page.getByRole('button', { name: 'Opnieuw proberen' }).click();
    await result().getByText('door een storing bij ons').waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('ties an invalid postcode’s error to the field and announces it', async () => {
    await openMunicipalityPage();
    await search('1234 SA');
    const input = page.getByLabel('Postcode');
    const error = page.locator('wijkteam-zoeker #postcode-error');
    await error.getByText('Deze postcode bestaat niet').waitFor();
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await input.getAttribute('aria-describedby')).toBe('postcode-hint postcode-error');
    await expect.poll(() => liveRegion().textContent()).toBe(await error.textContent());
    expect(await focusedInWidget(page)).toBe('postcode');
    expect(await axeViolations(page)).toEqual([]);

    await search('9712CP');
    await page.getByRole('heading', { name: 'WIJ Centrum' }).waitFor();
    expect(await input.getAttribute('aria-invalid')).toBeNull();
    expect(await error.isHidden()).toBe(true);
  });

  it('trusts the server’s 400 for a postcode that passed the check in the page', async () => {
    await page.route('**/v1/groningen/postcodes/9712CP*', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/problem+json',
        headers: { 'Access-Control-Allow-Origin': '*' },
        body: JSON.stringify({
          type: 'urn:wijkteams:problem:validation-failed',
          title: 'Invalid request',
          status: 400,
          detail: 'One or more fields are invalid',
          invalidParams: [{ name: 'path.postcode', reason: 'Not a postcode' }],
        }),
      }),
    );
    await openMunicipalityPage();
    await search('9712 CP');
    await page.locator('wijkteam-zoeker #postcode-error').getByText('Deze postcode bestaat niet').waitFor();
    expect(await page.getByLabel('Postcode').getAttribute('aria-invalid')).toBe('true');
  });

  it('offers a retry after a network error, and the retry works', async () => {
    await page.route('**/v1/groningen/postcodes/**', (route) => route.abort('internetdisconnected'));
    await openMunicipalityPage();
    await search('9712CP');
    const retry = await retryOffered();

    await page.unrouteAll();
    await retry.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'WIJ Centrum' }).waitFor();
  });

  it('works with the keyboard alone, with a visible focus indicator', async () => {
    await openMunicipalityPage();
    await page.keyboard.press('Tab');
    expect(await focusedInWidget(page)).toBe('postcode');
    expect((await focusOutline(page)).width).toBeGreaterThanOrEqual(2);
    await page.keyboard.type('9712cp');
    await page.keyboard.press('Tab');
    expect(await focusedInWidget(page)).toBe('house-number');
    await page.keyboard.type('12');
    await page.keyboard.press('Tab');
    expect(await focusedInWidget(page)).toBe('button:Zoek uw team');
    const outline = await focusOutline(page);
    expect(outline.style).not.toBe('none');
    expect(outline.width).toBeGreaterThanOrEqual(2);
    await page.keyboard.press('Space');
    await result().getByText('Voor postcode 9712 CP, huisnummer 12').waitFor();
    await page.keyboard.press('Tab');
    expect(await focusedInWidget(page)).toBe('a:050 367 91 00');
  });

  it('sends the house letter and addition with the number (12a-2), not the number alone', async () => {
    const asked: URL[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/postcodes/')) asked.push(new URL(request.url()));
    });
    await openMunicipalityPage();
    await page.getByLabel('Huisnummer').fill('12a-2');
    await search('9712 CP');
    await result().getByText('Voor postcode 9712 CP, huisnummer 12A-2').waitFor();
    expect(Object.fromEntries(asked[0]?.searchParams ?? [])).toEqual({
      houseNumber: '12',
      houseLetter: 'A',
      houseNumberAddition: '2',
    });
  });

  it('speaks English with lang="en"', async () => {
    await openMunicipalityPage();
    await page.evaluate(`document.querySelector('wijkteam-zoeker').setAttribute('lang', 'en')`);
    await page.getByRole('heading', { name: 'Find your neighbourhood team' }).waitFor();
    await search('3511 AB');
    await result().getByText('This postcode belongs to the municipality of Utrecht.').waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('runs on the demo page for each municipality, accessibly', async () => {
    await page.goto(`${sites.api}/`);
    await page.getByRole('heading', { name: 'Wijkteam-zoeker', level: 1 }).waitFor();
    await page.getByLabel('Municipality').selectOption('zeist');
    await search('3701 CH');
    await page.getByRole('heading', { name: 'Sociaal team Zeist' }).waitFor();
    expect(await page.locator('#demo-snippet').textContent()).toContain(`src="${sites.api}/widget.js"`);
    // The help form beside it follows the choice.
    expect(await page.locator('#demo-form-snippet').textContent()).toContain('tenant="zeist"');
    expect(await page.locator('wijkteam-hulpvraag').getAttribute('tenant')).toBe('zeist');
    expect(await axeViolations(page)).toEqual([]);
  });
});
