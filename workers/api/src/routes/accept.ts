/**
 * Which of the media types a route offers the caller's `Accept` header prefers (RFC 9110 §12.5.1):
 * media ranges with their `q`, the most specific range deciding for each type, `q=0` refusing it.
 * No header takes the first offered; null where the header accepts none of them (a 406).
 */
export function preferredType<T extends string>(accept: string | undefined, offered: readonly T[]): T | null {
  if (accept === undefined || accept.trim() === '') return offered[0] ?? null;
  const ranges = accept.split(',').flatMap((part) => {
    const [range = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!/^(\*|[\w.+-]+)\/(\*|[\w.+-]+)$/.test(range)) return [];
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    return Number.isFinite(weight) ? [{ range, weight: Math.min(1, Math.max(0, weight)) }] : [];
  });
  let best: { type: T; weight: number } | null = null;
  for (const type of offered) {
    const [major] = type.split('/');
    const matching = ranges
      .map((r) => ({
        ...r,
        specificity: r.range === type ? 2 : r.range === `${major}/*` ? 1 : r.range === '*/*' ? 0 : -1,
      }))
      .filter((r) => r.specificity >= 0)
      .sort((a, b) => b.specificity - a.specificity)[0];
    if (matching && matching.weight > 0 && (!best || matching.weight > best.weight)) {
      best = { type, weight: matching.weight };
    }
  }
  return best?.type ?? null;
}
