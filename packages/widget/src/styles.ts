import zoekerCss from './styles.css';

const sheets = new Map<string, CSSStyleSheet>();

/**
 * A constructed stylesheet where the browser has them: it needs no `style-src 'unsafe-inline'` in
 * the embedding page's Content-Security-Policy. A `<style>` element otherwise. One sheet per
 * stylesheet text, shared by every element that uses it.
 */
export function applyStyles(root: ShadowRoot, css = zoekerCss): void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
    let sheet = sheets.get(css);
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      sheets.set(css, sheet);
    }
    root.adoptedStyleSheets = [sheet];
    return;
  }
  const style = document.createElement('style');
  style.textContent = css;
  root.append(style);
}

/**
 * The lookup's look under another element's name: the same rules and design tokens, with
 * `--wijkteam-<name>-*` in place of `--wijkteam-zoeker-*`, and `extra` rules after them.
 */
export const stylesFor = (name: string, extra: string): string =>
  zoekerCss.replaceAll('--wijkteam-zoeker-', `--wijkteam-${name}-`) + extra;
