import { coverageRules, newId, requests, type Team, type TenantDb, teamKinds, teams } from '@wijkteams/db';
import { and, eq, ne, sql } from 'drizzle-orm';

/** A team's address, as in the BAG: the same shape in every answer and every body. */
export interface TeamAddress {
  street: string | null;
  houseNumber: number | null;
  /** One letter: the `A` of 12A. */
  houseLetter: string | null;
  /** Up to four letters or digits: the `bis` of 12-bis. */
  houseNumberAddition: string | null;
  /** Canonical: `9712CP`. */
  postcode: string | null;
  city: string | null;
}

/** A team as residents and partners see it. */
export interface PublicTeam {
  id: string;
  name: string;
  /** The slug of its kind (`wij-team`); `kindName` says it in Dutch and English. */
  kind: string;
  kindName: { nl: string; en: string };
  description: string | null;
  address: TeamAddress;
  phone: string | null;
  email: string | null;
  website: string | null;
  openingHours: Team['openingHours'];
  accessibility: string | null;
  closureMessage: string | null;
  isDefaultIntake: boolean;
  isExample: boolean;
  /** False while out of service: then in no list, lookup or routing. */
  active: boolean;
}

export type KindNames = ReadonlyMap<string, { nl: string; en: string }>;

export function presentTeam(team: Team, kinds: KindNames): PublicTeam {
  return {
    id: team.id,
    name: team.name,
    kind: team.kind,
    kindName: kinds.get(team.kind) ?? { nl: team.kind, en: team.kind },
    description: team.description,
    address: {
      street: team.street,
      houseNumber: team.houseNumber,
      houseLetter: team.houseLetter,
      houseNumberAddition: team.houseNumberAddition,
      postcode: team.postcode,
      city: team.city,
    },
    phone: team.phone,
    email: team.email,
    website: team.website,
    openingHours: team.openingHours,
    accessibility: team.accessibility,
    closureMessage: team.closureMessage,
    isDefaultIntake: team.isDefaultIntake,
    isExample: team.isExample,
    active: team.active,
  };
}

/** What a municipality writes about a team: the answer's shape, less its id and kind name. */
export type TeamPatch = Partial<
  Pick<
    PublicTeam,
    | 'name'
    | 'kind'
    | 'description'
    | 'phone'
    | 'email'
    | 'website'
    | 'openingHours'
    | 'accessibility'
    | 'closureMessage'
    | 'isDefaultIntake'
    | 'isExample'
    | 'active'
  >
> & {
  /** Only the keys given change. */
  address?: Partial<TeamAddress>;
  /** Names the kind: adds a kind the tenant does not have yet, or renames it for all its teams. */
  kindName?: { nl: string; en: string };
};

export type NewTeamInput = TeamPatch & Pick<PublicTeam, 'name' | 'kind'>;

export type TeamWriteOutcome =
  /** `wasActive`: whether the team was in service before this write (a new team: true). */
  | { ok: true; team: PublicTeam; wasActive: boolean }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'unknown-kind'; kind: string };

export type TeamKindRow = typeof teamKinds.$inferSelect;

export async function listTeamKinds(db: TenantDb): Promise<TeamKindRow[]> {
  return db.select().from(teamKinds).orderBy(teamKinds.slug);
}

export function kindNames(rows: readonly TeamKindRow[]): KindNames {
  return new Map(rows.map((k) => [k.slug, { nl: k.nameNl, en: k.nameEn }]));
}

/** The columns a patch sets; `address` keys map to their own columns. */
function columnsOf(patch: TeamPatch): Partial<typeof teams.$inferInsert> {
  const { address, kindName: _kindName, ...rest } = patch;
  return { ...rest, ...(address ?? {}) };
}

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

/** The statement that names a kind, where the patch does; undefined where the kind must exist. */
const nameKind = (db: TenantDb, kind: string, names: { nl: string; en: string }) =>
  db
    .insert(teamKinds)
    .values({ slug: kind, nameNl: names.nl, nameEn: names.en })
    .onConflictDoUpdate({ target: teamKinds.slug, set: { nameNl: names.nl, nameEn: names.en } });

async function kindProblem(db: TenantDb, patch: TeamPatch): Promise<string | undefined> {
  if (patch.kind === undefined || patch.kindName !== undefined) return undefined;
  const known = await db
    .select({ slug: teamKinds.slug })
    .from(teamKinds)
    .where(eq(teamKinds.slug, patch.kind))
    .get();
  return known ? undefined : patch.kind;
}

async function present(db: TenantDb, team: Team): Promise<PublicTeam> {
  return presentTeam(team, kindNames(await listTeamKinds(db)));
}

/**
 * A new team of the tenant (onboarding: a municipality's teams come after its tenant). The kind,
 * the team and the default mark are written in one batch; the coverage version trigger makes every
 * isolate's lookup index pick it up.
 */
export async function createTeam(db: TenantDb, input: NewTeamInput): Promise<TeamWriteOutcome> {
  const unknownKind = await kindProblem(db, input);
  if (unknownKind) return { ok: false, reason: 'unknown-kind', kind: unknownKind };
  const id = newId('team');
  const insert = db
    .insert(teams)
    .values({ ...columnsOf(input), name: input.name, kind: input.kind, id })
    .returning();
  const [inserted] = (
    await db.batch([
      insert,
      ...(input.kindName ? [nameKind(db, input.kind, input.kindName)] : []),
      ...(input.isDefaultIntake ? [unmarkOthers(db, id)] : []),
    ])
  )[0];
  if (!inserted) throw new Error('INSERT … RETURNING gave no row');
  return { ok: true, team: await present(db, inserted), wasActive: true };
}

/**
 * Changes a team's details, such as a temporary closure message during a weather alert, or takes it
 * out of service (`active: false`) and back. The coverage version trigger makes every isolate's
 * lookup index pick the change up.
 */
export async function updateTeam(db: TenantDb, id: string, patch: TeamPatch): Promise<TeamWriteOutcome> {
  const unknownKind = await kindProblem(db, patch);
  if (unknownKind) return { ok: false, reason: 'unknown-kind', kind: unknownKind };
  const exists = await db
    .select({ kind: teams.kind, active: teams.active })
    .from(teams)
    .where(eq(teams.id, id))
    .get();
  if (!exists) return { ok: false, reason: 'not-found' };
  const update = db
    .update(teams)
    .set({ ...columnsOf(patch), updatedAt: new Date().toISOString() })
    .where(eq(teams.id, id))
    .returning();
  const kind = patch.kind ?? exists.kind;
  const [team] = (
    await db.batch([
      update,
      ...(patch.kindName ? [nameKind(db, kind, patch.kindName)] : []),
      ...(patch.isDefaultIntake ? [unmarkOthers(db, id)] : []),
    ])
  )[0];
  return team
    ? { ok: true, team: await present(db, team), wasActive: exists.active }
    : { ok: false, reason: 'not-found' };
}

export type DeleteTeamOutcome =
  | { ok: true }
  | { ok: false; reason: 'not-found' | 'has-requests' | 'has-coverage' };

/**
 * Removes a team that was never used: no request was ever routed to it and no coverage rule names
 * it. A team with history is taken out of service (`active: false`) instead. The check and the
 * delete are one statement, so a request routed to it in between keeps it.
 */
export async function deleteTeam(db: TenantDb, id: string): Promise<DeleteTeamOutcome> {
  const deleted = await db
    .delete(teams)
    .where(
      and(
        eq(teams.id, id),
        sql`not exists (select 1 from ${requests} where ${requests.teamId} = ${id})`,
        sql`not exists (select 1 from ${coverageRules} where ${coverageRules.teamId} = ${id})`,
      ),
    )
    .returning({ id: teams.id });
  if (deleted.length > 0) return { ok: true };
  const [team, request] = await db.batch([
    db.select({ id: teams.id }).from(teams).where(eq(teams.id, id)),
    db.select({ id: requests.id }).from(requests).where(eq(requests.teamId, id)).limit(1),
  ]);
  if (team.length === 0) return { ok: false, reason: 'not-found' };
  return { ok: false, reason: request.length > 0 ? 'has-requests' : 'has-coverage' };
}
