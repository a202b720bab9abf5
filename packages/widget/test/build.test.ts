import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWidget, HULPVRAAG_BUDGET_BYTES, WIDGET_BUDGET_BYTES } from '../build.ts';

describe('the widget build', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'wt-widget-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('makes each embed one minified ES module within its budget that finds its API next to itself', async () => {
    const built = await buildWidget(outDir);
    expect(built.widget.gzipBytes).toBeLessThanOrEqual(WIDGET_BUDGET_BYTES);
    expect(built.hulpvraag.gzipBytes).toBeLessThanOrEqual(HULPVRAAG_BUDGET_BYTES);
    for (const [file, element] of [
      [built.widget.file, 'wijkteam-zoeker'],
      [built.hulpvraag.file, 'wijkteam-hulpvraag'],
    ] as const) {
      const code = readFileSync(file, 'utf8');
      expect(code).toContain('import.meta.url');
      expect(code).toContain(`customElements.define("${element}"`);
      expect(code.split('\n').length).toBeLessThan(5);
    }
    expect(readFileSync(join(outDir, 'status.js'), 'utf8')).toContain('Status-Token');
  });

  it('fails when an embed is over its budget', async () => {
    await expect(buildWidget(outDir, { widget: 1024, hulpvraag: HULPVRAAG_BUDGET_BYTES })).rejects.toThrow(
      /widget\.js .* over its 1024 byte budget/,
    );
    await expect(buildWidget(outDir, { widget: WIDGET_BUDGET_BYTES, hulpvraag: 2048 })).rejects.toThrow(
      /hulpvraag\.js .* over its 2048 byte budget/,
    );
  });
});
