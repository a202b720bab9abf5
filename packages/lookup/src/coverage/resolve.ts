import type { CoverageLevel, CoverageRule, Team } from '@wijkteams/db';
import type { Postcode } from '../postcode.ts';
import { kindNames, type PublicTeam, presentTeam, type TeamKindRow } from '../teams.ts';

export interface CoverageSnapshot {
  version: number;
  /** Every team, active or not. */
  teams: Team[];
  kinds: TeamKindRow[];
  rules: CoverageRule[];
  /** The municipality's PC4 areas (CBS). */
  areas: string[];
}

export interface TeamMatch {
  team: PublicTeam;
  match: {
    /** Which rule decided: the most specific one that applies; `default` where none does. */
    level: CoverageLevel | 'default';
    ruleId: string | null;
    validFrom: string | null;
    validTo: string | null;
    isExample: boolean;
  };
  /** True where house-number rules split this PC6, so the answer may change with a house number. */
  houseNumberMatters: boolean;
}

const SPECIFICITY: Record<CoverageLevel, number> = { 'house-range': 3, pc6: 2, pc4: 1 };

/**
 * A tenant's coverage, indexed by PC4 for lookups without a database round trip. Built once per
 * version of the tenant's coverage and kept in the isolate. An inactive team is not in it as far as
 * residents are concerned: not listed, not found, and its rules do not apply (a lookup falls through
 * to the next rule, or the default team, as if they were not there); its admin still finds it.
 */
export class CoverageIndex {
  readonly #byPc4 = new Map<string, CoverageRule[]>();
  readonly #teams = new Map<string, PublicTeam>();
  readonly #allTeams = new Map<string, PublicTeam>();
  readonly #areas: Set<string>;
  readonly #defaultTeam: PublicTeam | undefined;
  /** The active teams, by name. */
  readonly teams: PublicTeam[];
  /** Every team, inactive ones included, by name: for the tenant's admin. */
  readonly allTeams: PublicTeam[];

  constructor(readonly snapshot: CoverageSnapshot) {
    const kinds = kindNames(snapshot.kinds);
    this.allTeams = snapshot.teams
      .map((team) => presentTeam(team, kinds))
      .sort((a, b) => a.name.localeCompare(b.name, 'nl'));
    this.teams = this.allTeams.filter((team) => team.active);
    for (const team of this.allTeams) this.#allTeams.set(team.id, team);
    for (const team of this.teams) this.#teams.set(team.id, team);
    for (const rule of snapshot.rules) {
      const list = this.#byPc4.get(rule.pc4) ?? [];
      list.push(rule);
      this.#byPc4.set(rule.pc4, list);
    }
    for (const list of this.#byPc4.values()) list.sort((a, b) => SPECIFICITY[b.level] - SPECIFICITY[a.level]);
    this.#areas = new Set(snapshot.areas);
    this.#defaultTeam = this.teams.find((t) => t.isDefaultIntake);
  }

  get version(): number {
    return this.snapshot.version;
  }

  /** One of the municipality's own PC4 areas (CBS), whether or not a team serves it yet. */
  servesArea(pc4: string): boolean {
    return this.#areas.has(pc4);
  }

  /** An active team; with `includeInactive`, any team of the tenant. */
  team(id: string, options: { includeInactive?: boolean } = {}): PublicTeam | undefined {
    return (options.includeInactive ? this.#allTeams : this.#teams).get(id);
  }

  /** The team for a postcode (and house number) on `date` (YYYY-MM-DD), or undefined if not served. */
  resolve(postcode: Postcode, houseNumber: number | null, date: string): TeamMatch | undefined {
    const rules = (this.#byPc4.get(postcode.pc4) ?? []).filter((r) => applies(r, date));
    const sameStreet = rules.filter((r) => r.level !== 'pc4' && r.letters === postcode.letters);
    const houseNumberMatters = sameStreet.some((r) => r.level === 'house-range');
    for (const rule of rules) {
      if (!this.#matches(rule, postcode, houseNumber)) continue;
      const team = this.#teams.get(rule.teamId);
      if (!team) continue;
      return {
        team,
        match: {
          level: rule.level,
          ruleId: rule.id,
          validFrom: rule.validFrom,
          validTo: rule.validTo,
          isExample: rule.isExample,
        },
        houseNumberMatters,
      };
    }
    if (this.#areas.has(postcode.pc4) && this.#defaultTeam) {
      return {
        team: this.#defaultTeam,
        match: {
          level: 'default',
          ruleId: null,
          validFrom: null,
          validTo: null,
          isExample: this.#defaultTeam.isExample,
        },
        houseNumberMatters,
      };
    }
    return undefined;
  }

  #matches(rule: CoverageRule, postcode: Postcode, houseNumber: number | null): boolean {
    if (rule.level === 'pc4') return true;
    if (rule.letters !== postcode.letters) return false;
    if (rule.level === 'pc6') return true;
    if (houseNumber === null || rule.houseFrom === null || rule.houseTo === null) return false;
    if (houseNumber < rule.houseFrom || houseNumber > rule.houseTo) return false;
    return rule.parity === 'all' || (rule.parity === 'odd') === (houseNumber % 2 === 1);
  }
}

/** `validFrom` and `validTo` are calendar days, both inclusive. */
export function applies(rule: Pick<CoverageRule, 'validFrom' | 'validTo'>, date: string): boolean {
  return rule.validFrom <= date && (rule.validTo === null || date <= rule.validTo);
}
