/**
 * Builds `/widget.js` (`<wijkteam-zoeker>`), `/hulpvraag.js` (`<wijkteam-hulpvraag>`), the status
 * page's `/status.js` and the demo page's `/demo.js` with esbuild: one minified ES module each.
 * The two embeds must stay within their budgets, measured gzipped as browsers receive them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Plugin, transform } from 'esbuild';

export const WIDGET_BUDGET_BYTES = 12 * 1024;
export const HULPVRAAG_BUDGET_BYTES = 15 * 1024;

const here = import.meta.dirname;

/** `import css from './x.css'`: the stylesheet, minified, as a string for a constructed stylesheet. */
const cssAsText: Plugin = {
  name: 'css-as-text',
  setup(builder) {
    builder.onLoad({ filter: /\.css$/ }, async ({ path }) => {
      const { code } = await transform(readFileSync(path, 'utf8'), { loader: 'css', minify: true });
      return { contents: `export default ${JSON.stringify(code.trim())};`, loader: 'js' };
    });
  },
};

export interface BuiltWidget {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface Budgets {
  widget: number;
  hulpvraag: number;
}

/** Writes the four modules into `outDir`; throws when an embed is over its budget. */
export async function buildWidget(
  outDir: string,
  budgets: Budgets = { widget: WIDGET_BUDGET_BYTES, hulpvraag: HULPVRAAG_BUDGET_BYTES },
): Promise<{ widget: BuiltWidget; hulpvraag: BuiltWidget }> {
  await build({
    entryPoints: {
      widget: join(here, 'src/index.ts'),
      hulpvraag: join(here, 'src/hulpvraag/index.ts'),
      status: join(here, 'src/status/page.ts'),
      demo: join(here, 'demo/demo.ts'),
    },
    outdir: outDir,
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022', 'chrome100', 'firefox100', 'safari15.4'],
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [cssAsText],
  });
  const measured = (name: keyof Budgets): BuiltWidget => {
    const file = join(outDir, `${name}.js`);
    const code = readFileSync(file);
    const built = { file, bytes: code.length, gzipBytes: gzipSync(code).length };
    console.log(
      `${name}.js: ${built.bytes} bytes, ${built.gzipBytes} bytes gzipped (budget ${budgets[name]})`,
    );
    return built;
  };
  const built = { widget: measured('widget'), hulpvraag: measured('hulpvraag') };
  for (const name of ['widget', 'hulpvraag'] as const) {
    if (built[name].gzipBytes > budgets[name])
      throw new Error(
        `${name}.js is ${built[name].gzipBytes} bytes gzipped, over its ${budgets[name]} byte budget`,
      );
  }
  return built;
}
