/** Attributes both embeds read the same way. */

/** The API's base URL: the `api` attribute, or else where the element's script came from; ends in `/`. */
export function apiBase(element: Element, fallback: string): URL {
  const base = new URL(element.getAttribute('api') || fallback, document.baseURI);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return base;
}

/** `heading-level` (2 by default), at most `max` so that the headings below it stay valid. */
export function headingLevelOf(element: Element, max: number): number {
  const level = Number(element.getAttribute('heading-level') ?? 2);
  return Number.isInteger(level) && level >= 1 ? Math.min(level, max) : 2;
}
