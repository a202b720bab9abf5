import { type ControlDb, type Tenant, tenants } from '@wijkteams/db';
import { isNotNull } from 'drizzle-orm';

/** Three capital letters start every request reference: `GRO-2026-000123`. */
export const REFERENCE_PREFIX_PATTERN = /^[A-Z]{3}$/;

const ARTICLES = new Set(['DE', 'DEN', 'HET']);
/** Words that say nothing about which municipality it is. */
const FILLER = new Set(['GEMEENTE', 'DE', 'DEN', 'HET', 'S', 'T', 'AAN', 'EN', 'OP', 'IN', 'BIJ', 'VAN']);

/**
 * Prefixes for a municipality, best first: the first three letters of a one-word name (Groningen:
 * GRO, as the launch tenants have), or the initial of the first word and the first two letters of
 * the last (Den Haag: DHA, Den Helder: DHE); then other letters of the name in order (Heerde after
 * Heerlen: HER, HED, …); then the name's initial with any two letters. Never empty.
 */
export function referencePrefixCandidates(name: string): string[] {
  const all = name
    .replace(/\(.*?\)/g, ' ') // Bergen (NH)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .split(/[^A-Z]+/)
    .filter((w) => w.length > 0 && w !== 'GEMEENTE');
  const significant = all.filter((w) => !FILLER.has(w));
  const words = significant.length > 0 ? significant : all.length > 0 ? all : ['X'];
  const candidates: string[] = [];
  const add = (p: string) => {
    if (REFERENCE_PREFIX_PATTERN.test(p) && !candidates.includes(p)) candidates.push(p);
  };
  const first = all[0] ?? 'X';
  const last = all[all.length - 1] ?? 'X';
  if (ARTICLES.has(first) && words.length === 1) add(`${first[0]}${last.slice(0, 2)}`); // Den Haag: DHA
  if (words.length > 1) add(`${words[0]?.[0]}${words[words.length - 1]?.slice(0, 2)}`);
  const letters = words.join('');
  add(letters.slice(0, 3));
  for (let i = 1; i < letters.length; i++)
    for (let j = i + 1; j < letters.length; j++) add(`${letters[0]}${letters[i]}${letters[j]}`);
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (const a of ALPHABET) for (const b of ALPHABET) add(`${letters[0] ?? 'X'}${a}${b}`);
  return candidates;
}

/** The prefixes other tenants have. */
export async function takenReferencePrefixes(control: ControlDb): Promise<Set<string>> {
  const rows = await control
    .select({ prefix: tenants.referencePrefix })
    .from(tenants)
    .where(isNotNull(tenants.referencePrefix));
  return new Set(rows.map((r) => r.prefix as string));
}

/** The first candidate no other tenant has. */
export function chooseReferencePrefix(name: string, taken: Set<string>): string {
  const free = referencePrefixCandidates(name).find((p) => !taken.has(p));
  if (!free) throw new Error(`No free reference prefix for ${name}`);
  return free;
}

/** The prefix a tenant's references start with; a tenant from before stored prefixes keeps its slug's. */
export function referencePrefixOf(tenant: Pick<Tenant, 'referencePrefix' | 'slug'>): string {
  return tenant.referencePrefix ?? tenant.slug.slice(0, 3).toUpperCase();
}

/** True for the error libSQL gives when another tenant took the prefix first. */
export function isPrefixTaken(error: unknown): boolean {
  const text = `${error instanceof Error ? error.message : String(error)} ${String((error as { cause?: unknown })?.cause ?? '')}`;
  return /UNIQUE constraint failed: tenants\.reference_prefix/.test(text);
}
