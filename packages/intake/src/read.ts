import {
  type HelpRequest,
  type RequestStatus,
  requestEvents,
  requests,
  type SubmitterKind,
  teams,
  tenantDb,
} from '@wijkteams/db';
import { and, asc, desc, eq, inArray, lt, not, type SQL } from 'drizzle-orm';
import type { Actor, IntakeContext } from './context.ts';
import { decryptText } from './crypto.ts';
import { isReference } from './reference.ts';
import { isOpen, OPEN_STATUSES } from './status.ts';
import { appendAudit } from './store.ts';

/** A request as lists show it: anonymous, nothing decrypted. */
export interface RequestSummary {
  reference: string;
  status: RequestStatus;
  category: string;
  team: { id: string; name: string | null };
  routedToDefault: boolean;
  /** The PC4 area, never the full address. */
  area: string;
  tier: string | null;
  providerId: string | null;
  submittedBy: { kind: SubmitterKind; keyId: string | null };
  preferredAt: string | null;
  receivedAt: string;
  statusChangedAt: string;
  slaDueAt: string;
  overdue: boolean;
  /** Its personal data was removed (retention or erasure); the statistics remain. */
  anonymised: boolean;
}

export interface HistoryEntry {
  at: string;
  actor: string;
  from: RequestStatus | null;
  to: RequestStatus;
  tier: string | null;
  providerId: string | null;
  reason: string | null;
  note: string | null;
}

/** A request with its personal data, for readers with the right to see it. */
export interface RequestDetail extends RequestSummary {
  description: string | null;
  contact: {
    name: string;
    email: string | null;
    phone: string | null;
    preferredChannel: 'email' | 'phone' | null;
  } | null;
  /** As in the BAG: number, letter (upper case) and addition. */
  address: {
    postcode: string;
    houseNumber: number | null;
    houseLetter: string | null;
    houseNumberAddition: string | null;
  } | null;
  /** The resident agreed that the provider who helps may read the description. */
  shareWithProvider: boolean;
  history: HistoryEntry[];
}

export type ReadOutcome = { ok: true; request: RequestDetail } | { ok: false; reason: 'not-found' };

/**
 * Reads one request with its personal data decrypted. Every read, found or not, is appended to
 * the tenant's `request_audit` before anything is returned; when that fails, nothing is returned.
 */
export async function readRequest(
  ctx: IntakeContext,
  reference: string,
  actor: Actor,
  origin: string,
): Promise<ReadOutcome> {
  if (!isReference(reference)) return { ok: false, reason: 'not-found' };
  const db = tenantDb(ctx.db);
  const [found, events] = await db.batch([
    summaryQuery(ctx).where(eq(requests.reference, reference)),
    db
      .select({ event: requestEvents })
      .from(requestEvents)
      .innerJoin(requests, eq(requests.id, requestEvents.requestId))
      .where(eq(requests.reference, reference))
      .orderBy(asc(requestEvents.id)),
  ]);
  const row = found[0];
  await appendAudit(ctx, {
    actor,
    action: 'request.read',
    reference,
    result: row ? 'success' : 'not-found',
    at: ctx.clock(),
    origin,
  });
  if (!row) return { ok: false, reason: 'not-found' };

  const { request } = row;
  const key = ctx.encryptionKey;
  const [description, contact, notes] = await Promise.all([
    request.descriptionCt ? decryptText(key, request.descriptionCt, `${request.id}:description`) : null,
    request.contactCt ? decryptText(key, request.contactCt, `${request.id}:contact`) : null,
    Promise.all(
      events.map(({ event }) => (event.noteCt ? decryptText(key, event.noteCt, `${request.id}:note`) : null)),
    ),
  ]);
  const person = contact === null ? null : (JSON.parse(contact) as StoredContact);
  return {
    ok: true,
    request: {
      ...presentSummary(row, ctx.clock()),
      description,
      contact: person && {
        name: person.name,
        email: person.email,
        phone: person.phone,
        preferredChannel: person.preferredChannel ?? null,
      },
      address: person && {
        postcode: person.postcode,
        houseNumber: person.houseNumber,
        houseLetter: person.houseLetter ?? null,
        houseNumberAddition: person.houseNumberAddition ?? null,
      },
      shareWithProvider: request.shareWithProvider,
      history: events.map(({ event }, i) => ({
        at: event.at,
        actor: event.actor,
        from: event.fromStatus,
        to: event.toStatus,
        tier: event.tier,
        providerId: event.providerId,
        reason: event.reason,
        note: notes[i] ?? null,
      })),
    },
  };
}

interface StoredContact {
  name: string;
  email: string | null;
  phone: string | null;
  postcode: string;
  houseNumber: number | null;
  /** Absent in what was stored before the BAG fields. */
  houseLetter?: string | null;
  houseNumberAddition?: string | null;
  preferredChannel?: 'email' | 'phone' | null;
}

export interface RequestFilters {
  status?: RequestStatus;
  team?: string;
  category?: string;
  /** Open and past the SLA due date (true), or not (false). */
  overdue?: boolean;
  /** `nextCursor` of the page before. */
  cursor?: string;
  /** 1 to 100; 50 when not given. */
  limit?: number;
}

export const MAX_PAGE = 100;

/** Newest first, in pages; summaries only, so listing needs no decryption and is not audited per row. */
export async function listRequests(
  ctx: IntakeContext,
  filters: RequestFilters = {},
): Promise<{ items: RequestSummary[]; nextCursor: string | null }> {
  const now = ctx.clock();
  const limit = Math.min(Math.max(Math.trunc(filters.limit ?? 50), 1), MAX_PAGE);
  const conditions: (SQL | undefined)[] = [
    filters.status ? eq(requests.status, filters.status) : undefined,
    filters.team ? eq(requests.teamId, filters.team) : undefined,
    filters.category ? eq(requests.category, filters.category) : undefined,
    filters.cursor ? lt(requests.id, filters.cursor) : undefined,
  ];
  if (filters.overdue !== undefined) conditions.push(filters.overdue ? overdue(now) : not(overdue(now)));
  const rows = await summaryQuery(ctx)
    .where(and(...conditions))
    .orderBy(desc(requests.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    items: page.map((row) => presentSummary(row, now)),
    nextCursor: rows.length > limit ? (page.at(-1)?.request.id ?? null) : null,
  };
}

/** Open requests past their category's SLA at `now`, the longest overdue first. */
export async function overdueRequests(ctx: IntakeContext, now: Date): Promise<RequestSummary[]> {
  const rows = await summaryQuery(ctx).where(overdue(now)).orderBy(asc(requests.slaDueAt)).limit(1000);
  return rows.map((row) => presentSummary(row, now));
}

const overdue = (now: Date): SQL =>
  and(inArray(requests.status, [...OPEN_STATUSES]), lt(requests.slaDueAt, now.toISOString())) as SQL;

function summaryQuery(ctx: IntakeContext) {
  return tenantDb(ctx.db)
    .select({ request: requests, teamName: teams.name })
    .from(requests)
    .leftJoin(teams, eq(teams.id, requests.teamId))
    .$dynamic();
}

function presentSummary(row: { request: HelpRequest; teamName: string | null }, now: Date): RequestSummary {
  const r = row.request;
  return {
    reference: r.reference,
    status: r.status,
    category: r.category,
    team: { id: r.teamId, name: row.teamName },
    routedToDefault: r.routedToDefault,
    area: r.pc4,
    tier: r.tier,
    providerId: r.providerId,
    submittedBy: { kind: r.submitterKind, keyId: r.submitterKeyId },
    preferredAt: r.preferredAt,
    receivedAt: r.receivedAt,
    statusChangedAt: r.statusChangedAt,
    slaDueAt: r.slaDueAt,
    overdue: isOpen(r.status) && r.slaDueAt < now.toISOString(),
    anonymised: r.anonymisedAt !== null,
  };
}
