import { newId, type Team, type TenantDb, teams } from '@wijkteams/db';
import { and, eq, ne, sql } from 'drizzle-orm';

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
    | 'isDefaultIntake'
  >
>;

export type NewTeamInput = TeamPatch & Pick<Team, 'name' | 'kind'>;

/**
 * One default intake team per tenant: marking a team takes the mark from the others, in the same
 * write batch, after that team's own statement and only if that team exists (a patch of an unknown
 * team must not unmark the real default).
 */
const unmarkOthers = (db: TenantDb, id: string) =>
  db
    .update(teams)
    .set({ isDefaultIntake: false, updatedAt: new Date().toISOString() })
    .where(
      and(
        ne(teams.id, id),
        eq(teams.isDefaultIntake, true),
        sql`exists (select 1 from ${teams} where ${teams.id} = ${id} and ${teams.isDefaultIntake} = 1)`,
      ),
    );

/**
 * A new team of the tenant (onboarding: a municipality's teams come after its tenant). The coverage
 * version trigger makes every isolate's lookup index pick it up.
 */
export async function createTeam(db: TenantDb, input: NewTeamInput): Promise<PublicTeam> {
  const id = newId('team');
  const insert = db
    .insert(teams)
    .values({ ...input, id })
    .returning();
  const [inserted] = input.isDefaultIntake
    ? (await db.batch([insert, unmarkOthers(db, id)]))[0]
    : await insert;
  if (!inserted) throw new Error('INSERT … RETURNING gave no row');
  return presentTeam(inserted);
}

/**
 * Changes a team's details, such as a temporary closure message during a weather alert. The
 * coverage version trigger makes every isolate's lookup index pick the change up.
 */
export async function updateTeam(
  db: TenantDb,
  id: string,
  patch: TeamPatch,
): Promise<PublicTeam | undefined> {
  const update = db
    .update(teams)
    .set({ ...patch, updatedAt: new Date().toISOString() })
    .where(eq(teams.id, id))
    .returning();
  const [team] = patch.isDefaultIntake ? (await db.batch([update, unmarkOthers(db, id)]))[0] : await update;
  return team && presentTeam(team);
}
