import css from './styles.css';

let shared: CSSStyleSheet | undefined;

/**
 * A constructed stylesheet where the browser has them: it needs no `style-src 'unsafe-inline'` in
 * the embedding page's Content-Security-Policy. A `<style>` element otherwise.
 */
export function applyStyles(root: ShadowRoot): void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
    if (!shared) {
      shared = new CSSStyleSheet();
      shared.replaceSync(css);
    }
    root.adoptedStyleSheets = [shared];
    return;
  }
  const style = document.createElement('style');
  style.textContent = css;
  root.append(style);
}
