/**
 * Builds `/widget.js` (and the demo page's `/demo.js`) with esbuild: one minified ES module each.
 * The widget must stay within its budget, measured gzipped as browsers receive it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Plugin, transform } from 'esbuild';

export const WIDGET_BUDGET_BYTES = 12 * 1024;

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

/** Writes `widget.js` and `demo.js` into `outDir`; throws when the widget is over budget. */
export async function buildWidget(outDir: string, budgetBytes = WIDGET_BUDGET_BYTES): Promise<BuiltWidget> {
  await build({
    entryPoints: { widget: join(here, 'src/index.ts'), demo: join(here, 'demo/demo.ts') },
    outdir: outDir,
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022', 'chrome100', 'firefox100', 'safari15.4'],
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [cssAsText],
  });
  const file = join(outDir, 'widget.js');
  const code = readFileSync(file);
  const built = { file, bytes: code.length, gzipBytes: gzipSync(code).length };
  console.log(`widget.js: ${built.bytes} bytes, ${built.gzipBytes} bytes gzipped (budget ${budgetBytes})`);
  if (built.gzipBytes > budgetBytes) {
    throw new Error(`widget.js is ${built.gzipBytes} bytes gzipped, over its ${budgetBytes} byte budget`);
  }
  return built;
}
