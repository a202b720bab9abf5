import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { nodeAppFixture } from './fixture.ts';

let fixture: Awaited<ReturnType<typeof nodeAppFixture>>;
let document: { openapi: string; servers: { url: string }[]; paths: Record<string, Record<string, unknown>> };
beforeAll(async () => {
  fixture = await nodeAppFixture();
  document = (await (await fixture.request('http://api.example/v1/openapi.json')).json()) as typeof document;
});
afterAll(() => fixture.cleanup());

interface SpectralResult {
  code: string;
  message: string;
  path: string[];
  severity: number;
}

describe('the OpenAPI document', () => {
  it('is public, generated from the routes, and describes v1 relative to its server', async () => {
    const res = await fixture.request('/v1/openapi.json', { headers: { Origin: 'https://example.org' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(document.openapi).toBe('3.0.3');
    // No public address configured: the default one, whatever Host the request named.
    expect(document.servers).toEqual([{ url: 'http://127.0.0.1:8787/v1', description: 'This server' }]);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/tenants',
        '/tenants/{tenant}',
        '/{tenant}/teams',
        '/{tenant}/api-keys/{keyId}',
      ]),
    );
  });

  it('names the configured public origin, never the Host a caller sends, and is built once', async () => {
    const { createApp } = await import('../../src/app.ts');
    const { nodeRuntime } = await import('../../src/node-runtime.ts');
    const runtime = nodeRuntime(
      { dataDir: fixture.dataDir, control: { url: 'file:control.db' }, tenantAuthToken: undefined },
      { PUBLIC_BASE_URL: 'https://api.wijkteams.example/' },
    );
    const app = createApp({ runtime: () => runtime });
    const build = vi.spyOn(app, 'getOpenAPIDocument');
    const bodies = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const host = i === 0 ? 'evil.example' : `host-${i}.example`;
      const res = await app.request(`http://${host}/v1/openapi.json`, { headers: { Host: host } });
      expect(res.status).toBe(200);
      bodies.add(await res.text());
    }
    expect(bodies.size).toBe(1);
    const [body] = [...bodies] as [string];
    expect(body).not.toContain('evil.example');
    expect(body).not.toContain('host-');
    expect(JSON.parse(body).servers).toEqual([
      { url: 'https://api.wijkteams.example/v1', description: 'This server' },
    ]);
    // One document for every Host: nothing is kept per Host, so memory does not grow with them.
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('passes the API Design Rules linter with 0 errors (conformance/project-ruleset.yaml)', () => {
    const results = lint('conformance/project-ruleset.yaml');
    const errors = results
      .filter((r) => r.severity === 0)
      .map((r) => `${r.code} at ${r.path.join('.')}: ${r.message}`);
    expect(errors).toEqual([]);
    // Warnings are reported, not fatal (https for a local server URL, for instance).
    const warnings = results.filter((r) => r.severity === 1).map((r) => r.code);
    expect(warnings.every((code) => code === 'nlgov:servers-use-https')).toBe(true);
  });

  it('fails the unchanged ADR ruleset only where its invalid-input rule takes an example value for an operation', () => {
    const errors = lint('conformance/adr-ruleset.yaml').filter((r) => r.severity === 0);
    const misread = (r: SpectralResult) =>
      r.code === 'nlgov:problem-invalid-input' && r.path.includes('example') && r.path.at(-1) === 'postcode';
    expect(errors.filter((r) => !misread(r)).map((r) => `${r.code} at ${r.path.join('.')}`)).toEqual([]);
  });
});

function lint(ruleset: string): SpectralResult[] {
  const file = join(mkdtempSync(join(tmpdir(), 'wt-openapi-')), 'openapi.json');
  writeFileSync(file, JSON.stringify(document));
  const run = spawnSync(
    process.execPath,
    [
      'node_modules/@stoplight/spectral-cli/dist/index.js',
      'lint',
      '-r',
      ruleset,
      '-f',
      'json',
      '--quiet',
      file,
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  return JSON.parse(run.stdout.slice(run.stdout.indexOf('['))) as SpectralResult[];
}

describe('the documentation page', () => {
  it('serves Swagger UI from this host, with no CDN, on the Node server', async () => {
    const { createApp } = await import('../../src/app.ts');
    const { nodeStaticAssets } = await import('../../src/node-assets.ts');
    const app = createApp({ runtime: () => fixture.runtime, assets: nodeStaticAssets() });
    const page = await app.request('/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<script src="/docs/swagger-ui-bundle.js"></script>');
    expect(html).not.toMatch(/https?:\/\//);
    expect(page.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    const bundle = await app.request('/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(Number((await bundle.arrayBuffer()).byteLength)).toBeGreaterThan(500_000);
    expect(await (await app.request('/docs/init.js')).text()).toContain("url: '/v1/openapi.json'");
    const slash = await app.request('/docs/');
    expect(slash.status).toBe(404);
    expect(slash.headers.get('Content-Type')).toBe('application/problem+json');
  });
});
