/**
 * What the browser test needs around the page: Chromium (Debian's), the real app on Node serving
 * the built assets, a municipality's page on a second origin that embeds the widget, and axe-core.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createApp } from '../../src/app.ts';
import { ASSETS_DIR, nodeStaticAssets } from '../../src/node-assets.ts';
import { nodeAppFixture } from '../node/fixture.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where Chromium is missing: a loud notice; on CI (`CI=true`) the suite fails, elsewhere it is skipped. */
export function chromiumAvailability(): { run: boolean; missing: string | null } {
  if (existsSync(CHROMIUM)) return { run: true, missing: null };
  const onCi = process.env.CI === 'true';
  const missing = [
    '',
    '!'.repeat(78),
    `!! Browser test of <wijkteam-zoeker> ${onCi ? 'FAILS (CI=true)' : 'SKIPPED'}: no Chromium at ${CHROMIUM}.`,
    '!! Install it with:  apt-get update && apt-get install -y chromium',
    '!! (or point CHROMIUM_PATH at a Chromium binary)',
    '!'.repeat(78),
    '',
  ].join('\n');
  process.stderr.write(`${missing}\n`);
  return { run: onCi, missing };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

function listening(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    if (server.listening) resolve((server.address() as AddressInfo).port);
    else server.once('listening', () => resolve((server.address() as AddressInfo).port));
  });
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

export interface Sites {
  /** The API host, `http://127.0.0.1:<port>`: serves /widget.js, /hulpvraag.js, / and the API. */
  api: string;
  /**
   * A municipality's page on another origin, `http://localhost:<port>`, embedding the lookup at
   * `/`, the help form at `/hulp` and the help form in English at `/help`.
   */
  municipality: string;
  stop: () => Promise<void>;
}

/** A municipality's own page around one embed, loaded from the API host. */
const embedPage = (api: string, lang: 'nl' | 'en', script: string, element: string) => `<!doctype html>
<html lang="${lang}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${lang === 'en' ? 'Help in your neighbourhood' : 'Hulp in uw wijk'} - Gemeente Groningen</title>
    <script type="module" src="${api}/${script}"></script>
  </head>
  <body>
    <main>
      <h1>${lang === 'en' ? 'Help in your neighbourhood' : 'Hulp in uw wijk'}</h1>
      ${element}
    </main>
  </body>
</html>`;

/** The real app over a seeded data folder, and a second origin whose page embeds `/widget.js`. */
export async function startSites(): Promise<Sites> {
  if (!existsSync(`${ASSETS_DIR}/widget.js`)) {
    throw new Error(`${ASSETS_DIR}/widget.js is missing: run \`npm run build\` first (npm test does)`);
  }
  const fixture = await nodeAppFixture({ PUBLIC_RATE_LIMIT_PER_MINUTE: '100000' });
  const app = createApp({ runtime: () => fixture.runtime, assets: nodeStaticAssets() });
  const apiServer = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  const api = `http://127.0.0.1:${await listening(apiServer)}`;

  // A strict policy, as a careful municipality would send: the widget needs no inline code or styles.
  const policy = `default-src 'none'; script-src ${api}; connect-src ${api}; style-src 'self'; base-uri 'none'`;
  const pages: Record<string, string> = {
    '/': embedPage(api, 'nl', 'widget.js', '<wijkteam-zoeker tenant="groningen"></wijkteam-zoeker>'),
    '/hulp': embedPage(
      api,
      'nl',
      'hulpvraag.js',
      '<wijkteam-hulpvraag tenant="groningen"></wijkteam-hulpvraag>',
    ),
    '/help': embedPage(
      api,
      'en',
      'hulpvraag.js',
      '<wijkteam-hulpvraag tenant="groningen" lang="en"></wijkteam-hulpvraag>',
    ),
  };
  const municipalityServer = createServer((request, response) => {
    const page = pages[request.url ?? '/'];
    response.writeHead(page ? 200 : 404, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': policy,
    });
    response.end(page ?? 'Not found');
  }).listen(0, '127.0.0.1');
  const municipality = `http://localhost:${await listening(municipalityServer)}`;

  return {
    api,
    municipality,
    stop: async () => {
      await Promise.all([close(apiServer), close(municipalityServer)]);
      fixture.cleanup();
    },
  };
}

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** axe-core in the page, WCAG 2.1 A and AA rules only; the violations, shortened for a readable failure. */
export async function axeViolations(page: Page): Promise<Violation[]> {
  await page.evaluate(axe.source);
  return page.evaluate<Violation[]>(`
    axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_21_AA)} } }).then((result) =>
      result.violations.map((v) => ({
        id: v.id,
        impact: v.impact ?? null,
        help: v.help,
        targets: v.nodes.map((n) => JSON.stringify(n.target)),
      })),
    )`);
}

const ARTIFACTS = join(import.meta.dirname, 'artifacts');

/**
 * A full-page screenshot in `runDir` (test-results/…) on every run, and in ./artifacts (committed)
 * only where it is missing there or with UPDATE_SCREENSHOTS=1, so that a test run does not change
 * tracked files with every new date on the page.
 */
export async function keepScreenshot(page: Page, name: string, runDir: string): Promise<void> {
  mkdirSync(runDir, { recursive: true });
  const file = `${name}.png`;
  await page.screenshot({ path: join(runDir, file), fullPage: true });
  const kept = join(ARTIFACTS, file);
  if (process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(kept)) {
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: kept, fullPage: true });
  }
}

/** Collects into `errors` what a page throws uncaught and what its Content-Security-Policy refuses. */
export function watchPageErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Refused to/.test(message.text())) errors.push(message.text());
  });
}

/** The id of the element focused inside an embed's shadow root, or a description of what is focused. */
export const focusedInWidget = (page: Page, host = 'wijkteam-zoeker') =>
  page.evaluate<string>(`(() => {
    const outside = document.activeElement;
    if (outside?.localName !== '${host}' && outside?.id !== '${host}') return 'outside: ' + (outside?.localName ?? 'none');
    const inside = outside.shadowRoot.activeElement;
    return inside ? inside.id || inside.localName + (inside.textContent ? ':' + inside.textContent.trim() : '') : 'host';
  })()`);

/** The focus indicator of what is focused inside the widget. */
export const focusOutline = (page: Page) =>
  page.evaluate<{ style: string; width: number }>(`(() => {
    const inside = document.activeElement?.shadowRoot?.activeElement;
    const style = inside ? getComputedStyle(inside) : null;
    return { style: style?.outlineStyle ?? 'none', width: parseFloat(style?.outlineWidth ?? '0') };
  })()`);
