/**
 * `<wijkteam-hulpvraag>` and the status page in a real browser: the form embedded on another
 * origin under a strict Content-Security-Policy, filled in with the keyboard alone, sent to the
 * real app on Node; then the status link opened in a page of its own, and the request withdrawn.
 * axe-core checks every step. Needs Debian's Chromium (`apt-get install -y chromium`).
 *
 * Screenshots: test-results/hulpvraag/ on every run; the committed ones in ./artifacts/ are
 * written where they are missing, or all anew with UPDATE_SCREENSHOTS=1 (so that a test run does
 * not change tracked files with every new date on the page). The committed ones were made smaller
 * with `pngquant --quality=80-98 --ext .png --force artifacts/*.png` (Debian's pngquant).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY } from '../node/fixture.ts';
import {
  axeViolations,
  chromiumAvailability,
  focusedInWidget,
  focusOutline,
  keepScreenshot,
  launchChromium,
  type Sites,
  startSites,
  watchPageErrors,
} from './harness.ts';

const chromium = chromiumAvailability();
const suite = chromium.run ? describe : describe.skip;
const RUN_SHOTS = 'test-results/hulpvraag';

suite('<wijkteam-hulpvraag> and the status page in Chromium', () => {
  let sites: Sites;
  let browser: Browser;
  let context: BrowserContext;
  /** Uncaught errors, and what a Content-Security-Policy refused, in any page of the test. */
  let pageErrors: string[];

  beforeAll(async () => {
    if (chromium.missing) throw new Error(chromium.missing);
    [sites, browser] = await Promise.all([startSites(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await sites?.stop();
  });
  afterEach(async () => {
    await context?.close();
    expect(pageErrors).toEqual([]);
  });

  async function open(locale: 'nl-NL' | 'en-GB', width: number): Promise<Page> {
    context = await browser.newContext({ locale, viewport: { width, height: 900 } });
    pageErrors = [];
    context.on('page', (page) => watchPageErrors(page, pageErrors));
    return context.newPage();
  }

  /** axe-core finds nothing, and a screenshot of what is shown is kept. */
  async function checked(page: Page, name: string): Promise<void> {
    expect(await axeViolations(page), name).toEqual([]);
    await keepScreenshot(page, name, RUN_SHOTS);
  }

  const FORM = 'wijkteam-hulpvraag';
  const focused = (page: Page) => focusedInWidget(page, FORM);
  const live = (page: Page) => page.locator(`${FORM} [role="status"]`);

  /** Tab until `id` has the focus (at most `max` presses); keyboard only. */
  async function tabTo(page: Page, id: string, max = 12, host = FORM): Promise<void> {
    for (let i = 0; i < max; i++) {
      if ((await focusedInWidget(page, host)) === id) return;
      await page.keyboard.press('Tab');
    }
    expect(await focusedInWidget(page, host)).toBe(id);
  }

  /** Three days ahead in Dutch time, typed as people do: day-month-year. */
  function threeDaysAhead(): string {
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(
      new Date(Date.now() + 3 * 86_400_000),
    );
    const [y, m, d] = day.split('-');
    return `${d}-${m}-${y}`;
  }

  /** Chooses an option of the focused select with the arrow keys. */
  async function chooseWithArrows(page: Page, selectId: string, value: string): Promise<void> {
    const index = await page.evaluate<number>(
      `[...document.querySelector('${FORM}').shadowRoot.getElementById('${selectId}').options].findIndex((o) => o.value === '${value}')`,
    );
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
  }

  const adminCount = async () => {
    const res = await fetch(`${sites.api}/v1/groningen/requests?limit=100`, {
      headers: { Authorization: `Bearer ${ADMIN_KEY}` },
    });
    return ((await res.json()) as { requests: unknown[] }).requests.length;
  };

  interface Labels {
    heading: string;
    postcode: string;
    houseNumber: string;
    houseLetter: string;
    addition: string;
    category: string;
    description: string;
    name: string;
    email: string;
    phone: string;
    next: string;
    previous: string;
    send: string;
    sent: RegExp;
    statusLink: string;
    received: string;
    withdraw: string;
    confirmYes: string;
    withdrawn: string;
    cancelled: string;
  }
  const DUTCH: Labels = {
    heading: 'Hulp vragen',
    postcode: 'Postcode',
    houseNumber: 'Huisnummer',
    houseLetter: 'Huisletter',
    addition: 'Toevoeging',
    category: 'Onderwerp',
    description: 'Uw vraag',
    name: 'Naam',
    email: 'E-mailadres',
    phone: 'Telefoonnummer',
    next: 'Volgende',
    previous: 'Vorige',
    send: 'Versturen',
    sent: /Uw kenmerk is (GRO-\d{4}-\d{6})/,
    statusLink: 'Bekijk uw vraag op de statuspagina',
    received: 'Ontvangen',
    withdraw: 'Vraag intrekken',
    confirmYes: 'Ja, trek mijn vraag in',
    withdrawn: 'Uw vraag is ingetrokken.',
    cancelled: 'Ingetrokken',
  };
  const ENGLISH: Labels = {
    heading: 'Ask for help',
    postcode: 'Postcode',
    houseNumber: 'House number',
    houseLetter: 'House letter',
    addition: 'Addition',
    category: 'Subject',
    description: 'Your question',
    name: 'Name',
    email: 'Email address',
    phone: 'Phone number',
    next: 'Next',
    previous: 'Previous',
    send: 'Send',
    sent: /Your reference is (GRO-\d{4}-\d{6})/,
    statusLink: 'See your question on the status page',
    received: 'Received',
    withdraw: 'Withdraw request',
    confirmYes: 'Yes, withdraw my request',
    withdrawn: 'Your request has been withdrawn.',
    cancelled: 'Withdrawn',
  };

  /**
   * The whole journey with the keyboard: five steps, sent, the status link opened in a new page
   * showing "received", then withdrawn there. axe and a screenshot at every step.
   */
  async function journey(page: Page, l: Labels, shot: string): Promise<void> {
    // Every field is found by its accessible name, and only that field.
    for (const label of [l.postcode, l.houseNumber, l.houseLetter, l.addition])
      await expect.poll(() => page.getByLabel(label).count(), { message: label }).toBe(1);
    await checked(page, `${shot}-1-address`);

    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('postcode');
    expect((await focusOutline(page)).width).toBeGreaterThanOrEqual(2);
    await page.keyboard.type('9712 cp');
    await page.keyboard.press('Tab');
    await page.keyboard.type('12');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('house-letter');
    await page.keyboard.type('a');
    await page.keyboard.press('Tab');
    await page.keyboard.type('2');
    await page.keyboard.press('Enter');

    // Step 2: the team that will help is named, the focus is on the step's heading.
    await expect.poll(() => focused(page)).toBe('step-2-heading');
    await expect.poll(() => page.locator(`${FORM} .note`).innerText()).toContain('WIJ Centrum');
    for (const label of [l.category, l.description])
      expect(await page.getByLabel(label).count(), label).toBe(1);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('category');
    await chooseWithArrows(page, 'category', 'transport');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('description');
    await page.keyboard.type('Ik moet naar het ziekenhuis voor een controle.');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('date');
    await page.keyboard.type(threeDaysAhead());
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('time');
    await page.keyboard.type('10:30');
    await checked(page, `${shot}-2-question`);
    await tabTo(page, `button:${l.next}`, 4);
    await page.keyboard.press('Enter');

    // Step 3: at least one way to reach the resident, and how they prefer it.
    await expect.poll(() => focused(page)).toBe('step-3-heading');
    for (const label of [l.name, l.email, l.phone])
      expect(await page.getByLabel(label).count(), label).toBe(1);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Jannie de Vries');
    await page.keyboard.press('Tab');
    await page.keyboard.type('jannie@example.nl');
    await page.keyboard.press('Tab');
    await page.keyboard.type('06 12345678');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('preference-any');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toBe('preference-email');
    await checked(page, `${shot}-3-details`);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');

    // Step 4: consent is required; sharing with the provider is a separate, optional choice.
    await expect.poll(() => focused(page)).toBe('step-4-heading');
    await tabTo(page, `button:${l.next}`, 4);
    await page.keyboard.press('Enter');
    // Refused without consent: the error is tied to the checkbox and announced.
    await expect.poll(() => focused(page)).toBe('consent');
    expect(await page.locator(`${FORM} #consent`).getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`${FORM} #consent`).getAttribute('aria-describedby')).toContain(
      'consent-error',
    );
    await expect.poll(() => live(page).textContent()).toMatch(/1/);
    await checked(page, `${shot}-4-consent-error`);
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('share');
    await page.keyboard.press('Space');
    await checked(page, `${shot}-4-consent`);
    await tabTo(page, `button:${l.next}`, 3);
    await page.keyboard.press('Enter');

    // Step 5: review, then send.
    await expect.poll(() => focused(page)).toBe('step-5-heading');
    const review = await page.locator(`${FORM} .review`).innerText();
    expect(review).toContain('9712 CP 12A-2');
    expect(review).toContain('jannie@example.nl');
    await checked(page, `${shot}-5-review`);
    const before = await adminCount();
    await tabTo(page, `button:${l.send}`, 3);
    await page.keyboard.press('Enter');

    // Sent: the reference, what happens next, and the status link.
    await expect.poll(() => focused(page), { timeout: 15_000 }).toBe('done-heading');
    expect(await adminCount()).toBe(before + 1);
    const text = await page.locator(`${FORM} .done`).innerText();
    const reference = l.sent.exec(text)?.[1];
    expect(reference).toBeTruthy();
    const link = page.getByRole('link', { name: l.statusLink });
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toMatch(new RegExp(`^${sites.api}/status/groningen/${reference}#[A-Za-z0-9_-]{43}$`));
    await checked(page, `${shot}-6-sent`);

    // The status link in a page of its own: "received", then withdrawn.
    const status = await context.newPage();
    await status.goto(href);
    await status.getByRole('heading', { level: 1 }).waitFor();
    const current = status.locator('#app').locator('[aria-current="step"]');
    await expect.poll(() => current.innerText()).toContain(l.received);
    expect(await status.locator('#app section').innerText()).toContain('WIJ Centrum');
    await checked(status, `${shot}-7-status`);
    await tabTo(status, `button:${l.withdraw}`, 20, 'app');
    await status.keyboard.press('Enter');
    await expect.poll(() => focusedInWidget(status, 'app')).toBe('confirm');
    await checked(status, `${shot}-8-confirm`);
    await status.keyboard.press('Tab');
    expect(await focusedInWidget(status, 'app')).toBe(`button:${l.confirmYes}`);
    await status.keyboard.press('Enter');
    await status.locator('#app #message').getByText(l.withdrawn).waitFor();
    await expect.poll(() => current.innerText()).toContain(l.cancelled);
    await checked(status, `${shot}-9-withdrawn`);
  }

  it('takes a request in Dutch, keyboard only, from another origin; the status link shows it received and withdraws it', async () => {
    const page = await open('nl-NL', 800);
    await page.goto(`${sites.municipality}/hulp`);
    await page.getByRole('heading', { name: DUTCH.heading }).waitFor();
    await journey(page, DUTCH, 'nl');
  });

  it('does the same in English, 320 pixels wide', async () => {
    const page = await open('en-GB', 320);
    await page.goto(`${sites.municipality}/help`);
    await page.getByRole('heading', { name: ENGLISH.heading }).waitFor();
    // Nothing wider than the screen (WCAG 1.4.10 reflow).
    await journey(page, ENGLISH, 'en-320');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
  });

  it('makes one request when the answer to the first send is lost and the resident sends again', async () => {
    const page = await open('nl-NL', 800);
    let posts = 0;
    const keys: string[] = [];
    const bodies: string[] = [];
    await page.route('**/v1/groningen/requests', async (route) => {
      posts++;
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      bodies.push(route.request().postData() ?? '');
      // The first one reaches the server, but its answer never comes back.
      if (posts === 1) {
        await route.fetch();
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    await page.goto(`${sites.municipality}/hulp`);
    await page.getByRole('heading', { name: 'Hulp vragen' }).waitFor();
    const form = page.locator(FORM);
    await form.getByLabel('Postcode').fill('9712 CP');
    await form.getByLabel('Huisnummer').fill('3');
    await form.getByRole('button', { name: 'Volgende' }).click();
    await form.getByLabel('Onderwerp').selectOption('odd-jobs');
    await form.getByLabel('Uw vraag').fill('Een lamp ophangen.');
    await form.getByRole('button', { name: 'Volgende' }).click();
    await form.getByLabel('Naam').fill('Piet');
    await form.getByLabel('Telefoonnummer').fill('050 123 4567');
    await form.getByRole('button', { name: 'Volgende' }).click();
    await form.getByLabel(/Ik geef toestemming/).check();
    await form.getByRole('button', { name: 'Volgende' }).click();
    const before = await adminCount();
    await form.getByRole('button', { name: 'Versturen' }).click();
    await form.locator('#form-status').getByText('Het versturen is niet gelukt').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    // A double click: the second is ignored while the first is under way.
    await form.getByRole('button', { name: 'Versturen' }).dblclick();
    await form
      .locator('.reference')
      .getByText(/Uw kenmerk is GRO-/)
      .waitFor();
    expect(JSON.parse(bodies[0] ?? '{}')).toMatchObject({
      postcode: '9712CP',
      houseNumber: 3,
      category: 'odd-jobs',
      contact: { name: 'Piet', phone: '050 123 4567' },
      consent: true,
      shareWithProvider: false,
      language: 'nl',
    });
    expect(bodies[1]).toBe(bodies[0]);
    expect(await adminCount()).toBe(before + 1);
    expect(posts).toBe(2);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('shows which municipality to turn to for an address elsewhere, and errors tied to their fields', async () => {
    const page = await open('nl-NL', 800);
    await page.goto(`${sites.municipality}/hulp`);
    const form = page.locator(FORM);
    await form.getByRole('button', { name: 'Volgende' }).click();
    const postcode = form.getByLabel('Postcode');
    expect(await postcode.getAttribute('aria-invalid')).toBe('true');
    expect(await form.locator('#postcode-error').innerText()).toContain('Vul uw postcode in');
    expect(await form.getByLabel('Huisletter').getAttribute('aria-invalid')).toBeNull();
    await expect.poll(() => live(page).textContent()).toContain('Er zijn 2 fouten.');
    expect(await axeViolations(page)).toEqual([]);

    await postcode.fill('3511 AB');
    await form.getByLabel('Huisnummer').fill('1');
    await form.getByLabel('Huisletter').fill('ab');
    await form.getByRole('button', { name: 'Volgende' }).click();
    expect(await form.locator('#house-letter-error').innerText()).toContain('één letter');
    await form.getByLabel('Huisletter').fill('');
    await form.getByRole('button', { name: 'Volgende' }).click();
    await form
      .locator('.result')
      .getByText('Dit adres hoort bij de gemeente Utrecht. Vraag daar om hulp.')
      .waitFor();
    await expect.poll(() => live(page).textContent()).toContain('gemeente Utrecht');
    expect(await focused(page)).not.toBe('step-2-heading');
    await checked(page, 'nl-elsewhere');
    // A municipality that uses this service too: its team, and how to reach it.
    await postcode.fill('3701 CH');
    await form.getByRole('button', { name: 'Volgende' }).click();
    await form
      .locator('.result')
      .getByText('Dit adres hoort bij de gemeente Zeist.', { exact: false })
      .waitFor();
    await form.locator('.contact').getByText('Sociaal team Zeist').waitFor();
  });

  it('loads the categories again at the second step when they did not load at first', async () => {
    const page = await open('nl-NL', 800);
    let calls = 0;
    await page.route('**/v1/groningen/categories', (route) =>
      ++calls === 1 ? route.abort('internetdisconnected') : route.continue(),
    );
    await page.goto(`${sites.municipality}/hulp`);
    const form = page.locator(FORM);
    await form.getByLabel('Postcode').fill('9712 CP');
    await form.getByLabel('Huisnummer').fill('3');
    await form.getByRole('button', { name: 'Volgende' }).click();
    await expect.poll(() => focused(page)).toBe('step-2-heading');
    await expect.poll(() => form.getByLabel('Onderwerp').locator('option').count()).toBeGreaterThan(5);
    expect(calls).toBe(2);
  });

  it('says on the status page to call the team once someone has accepted, and how to get a new link when it is lost', async () => {
    const admin = { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' };
    const receipt = (await (
      await fetch(`${sites.api}/v1/groningen/requests`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          postcode: '9712CP',
          category: 'odd-jobs',
          description: 'Een kast in elkaar zetten.',
          contact: { name: 'Kees', phone: '050 123 4567' },
          consent: true,
        }),
      })
    ).json()) as { reference: string; statusToken: string };
    const page = await open('nl-NL', 800);
    await page.goto(`${sites.api}/status/groningen/${receipt.reference}#${receipt.statusToken}`);
    const app = page.locator('#app');
    await app.getByRole('button', { name: 'Vraag intrekken' }).waitFor();

    // Meanwhile a provider accepts it.
    const provider = (await (
      await fetch(`${sites.api}/v1/groningen/providers`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({
          name: 'Klusgroep',
          tier: 'volunteers',
          categories: ['odd-jobs'],
          contact: { email: 'klusgroep@example.nl' },
        }),
      })
    ).json()) as { id: string };
    for (const step of [
      { to: 'triaged' },
      { to: 'offered', providerId: provider.id },
      { to: 'accepted', providerId: provider.id },
    ]) {
      const moved = await fetch(`${sites.api}/v1/groningen/requests/${receipt.reference}/transitions`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify(step),
      });
      expect(moved.status).toBe(200);
    }
    await app.getByRole('button', { name: 'Vraag intrekken' }).click();
    await app.getByRole('button', { name: 'Ja, trek mijn vraag in' }).click();
    await app.locator('#message').getByText('Bel het team als u de hulp niet meer nodig hebt').waitFor();
    await expect
      .poll(() => app.locator('[aria-current="step"]').innerText())
      .toContain('Er is iemand gevonden');
    await checked(page, 'nl-status-too-late');

    // A lost or mangled link: nothing about the request, but whom to ask for a new one.
    await page.goto(
      `${sites.api}/status/groningen/${receipt.reference}#not-the-token-of-this-request-000000000`,
    );
    await app.getByText('Deze link werkt niet').first().waitFor();
    await app.getByText('Het team kan u een nieuwe link sturen').waitFor();
    await app.getByText('WIJ Centrum').first().waitFor();
    expect(await app.locator('section').innerText()).not.toContain('Er is iemand gevonden');
    await checked(page, 'nl-status-lost-link');
  });
});
