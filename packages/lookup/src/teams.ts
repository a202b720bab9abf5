import { type Team, type TenantDb, teams } from '@wijkteams/db';
import { eq } from 'drizzle-orm';

/** A team as residents and partners see it. */
export interface PublicTeam {
  id: string;
  name: string;
  kind: Team['kind'];
  description: string | null;
  address: { street: string | null; postcode: string | null; city: string | null };
  phone: string | null;
  email: string | null;
  website: string | null;
  openingHours: Team['openingHours'];
  accessibility: string | null;
  closureMessage: string | null;
  isDefaultIntake: boolean;
  isExample: boolean;
}

export function presentTeam(team: Team): PublicTeam {
  return {
    id: team.id,
    name: team.name,
    kind: team.kind,
    description: team.description,
    address: { street: team.street, postcode: team.postcode, city: team.city },
    phone: team.phone,
    email: team.email,
    website: team.website,
    openingHours: team.openingHours,
    accessibility: team.accessibility,
    closureMessage: team.closureMessage,
    isDefaultIntake: team.isDefaultIntake,
    isExample: team.isExample,
  };
}

export type TeamPatch = Partial<
  Pick<
    Team,
    | 'name'
    | 'description'
    | 'street'
    | 'postcode'
    | 'city'
    | 'phone'
    | 'email'
    | 'website'
    | 'openingHours'
    | 'accessibility'
    | 'closureMessage'
  >
>;

/**
 * Changes a team's details, such as a temporary closure message during a weather alert. The
 * coverage version trigger makes every isolate's lookup index pick the change up.
 */
export async function updateTeam(
  db: TenantDb,
  id: string,
  patch: TeamPatch,
): Promise<PublicTeam | undefined> {
  const [team] = await db
    .update(teams)
    .set({ ...patch, updatedAt: new Date().toISOString() })
    .where(eq(teams.id, id))
    .returning();
  return team && presentTeam(team);
}
