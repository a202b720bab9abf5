import type { Municipality } from '@wijkteams/lookup';
import { RESERVED_SLUGS } from './onboard.ts';
import { TENANT_SLUG_PATTERN } from './registry.ts';

/**
 * A municipality's name as a tenant slug: ASCII, lower case, words joined by dashes
 * (`'s-Hertogenbosch` → `s-hertogenbosch`, `Súdwest-Fryslân` → `sudwest-fryslan`,
 * `Bergen (NH.)` → `bergen-nh`). Undefined where nothing usable is left.
 */
export function municipalitySlug(name: string): string | undefined {
  const ascii = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const slug = ascii.length > 40 ? ascii.slice(0, 40).replace(/-[^-]*$/, '') : ascii;
  return TENANT_SLUG_PATTERN.test(slug) && !RESERVED_SLUGS.has(slug) ? slug : undefined;
}

/**
 * A unique slug for each municipality: its name's slug where that is free, otherwise the slug with
 * the municipality's code (`bergen-0373`), so that the choice does not depend on the order in
 * which they are onboarded. `taken` are the slugs tenants already have.
 */
export function slugsForMunicipalities(
  municipalities: readonly Municipality[],
  taken: ReadonlySet<string> = new Set(),
): Map<string, string> {
  const byName = new Map<string, string[]>();
  for (const m of municipalities) {
    const slug = municipalitySlug(m.name) ?? 'gemeente';
    byName.set(slug, [...(byName.get(slug) ?? []), m.code]);
  }
  const slugs = new Map<string, string>();
  for (const [slug, codes] of byName) {
    const shared = codes.length > 1 || taken.has(slug) || slug === 'gemeente';
    for (const code of codes)
      slugs.set(code, shared ? `${slug.slice(0, 35).replace(/-+$/, '')}-${code.slice(2)}` : slug);
  }
  return slugs;
}
