import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWidget, WIDGET_BUDGET_BYTES } from '../build.ts';

describe('the widget build', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'wt-widget-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('is one minified ES module within 12 KB gzipped that finds its API next to itself', async () => {
    const built = await buildWidget(outDir);
    expect(built.gzipBytes).toBeLessThanOrEqual(WIDGET_BUDGET_BYTES);
    const code = readFileSync(built.file, 'utf8');
    expect(code).toContain('import.meta.url');
    expect(code).toContain('customElements.define("wijkteam-zoeker"');
    expect(code.split('\n').length).toBeLessThan(5);
  });

  it('fails when the widget is over its budget', async () => {
    await expect(buildWidget(outDir, 1024)).rejects.toThrow(/over its 1024 byte budget/);
  });
});
