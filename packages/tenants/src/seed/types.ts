import type { OpeningHours } from '@wijkteams/db';

export interface SeedTeam {
  name: string;
  /** One of the launch kinds (`LAUNCH_TEAM_KINDS`). */
  kind: string;
  description: string;
  street: string;
  houseNumber: number;
  postcode: string;
  city: string;
  phone: string;
  email: string;
  website: string;
  openingHours: OpeningHours;
  accessibility: string;
  isDefaultIntake?: boolean;
  /** PC4 areas this team serves; every PC4 of the municipality is served by exactly one seed team. */
  pc4s: string[];
}

export interface MunicipalitySeed {
  slug: string;
  name: string;
  /** CBS municipality code. */
  municipalityCode: string;
  /** The municipality's name in the CBS PC4 data. */
  cbsName: string;
  teams: SeedTeam[];
}
