import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { teams } from './teams.ts';

/**
 * Help requests from residents and partners (`@wijkteams/intake`). Personal data (the description,
 * the contact details and address, staff notes) is only ever stored as AES-GCM ciphertext under the
 * tenant's key, and is set to NULL when a request is anonymised or erased; everything else in these
 * tables is anonymous and kept for statistics. Migration `intake_triggers` makes `request_audit`
 * append-only and the history in `request_events` unchangeable (except for erasing a note).
 */

/** The status flow; `@wijkteams/intake` holds the allowed transitions. */
export const REQUEST_STATUSES = [
  'received',
  'triaged',
  'offered',
  'accepted',
  'in_progress',
  'resolved',
  'closed',
  'cancelled',
  'referred',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const SUBMITTER_KINDS = ['resident', 'partner'] as const;
export type SubmitterKind = (typeof SUBMITTER_KINDS)[number];

export const REQUEST_AUDIT_ACTIONS = [
  'request.created',
  'request.read',
  'request.transition',
  'request.erased',
  'request.anonymised',
  'request.deleted',
  'request.status-token-issued',
] as const;
export type RequestAuditAction = (typeof REQUEST_AUDIT_ACTIONS)[number];

export const REQUEST_AUDIT_RESULTS = ['success', 'denied', 'not-found'] as const;
export type RequestAuditResult = (typeof REQUEST_AUDIT_RESULTS)[number];

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

/** What residents can ask help with, per tenant. */
export const requestCategories = sqliteTable(
  'request_categories',
  {
    slug: text('slug').primaryKey(),
    nameNl: text('name_nl').notNull(),
    nameEn: text('name_en').notNull(),
    /** Days from receipt within which the request should be resolved. */
    slaDays: integer('sla_days').notNull(),
    /** The resident must give a date and time (`preferredAt`), e.g. for transport. */
    needsSchedule: integer('needs_schedule', { mode: 'boolean' }).notNull().default(false),
    /** How far ahead `preferredAt` must be, in hours. */
    leadTimeHours: integer('lead_time_hours').notNull().default(0),
    position: integer('position').notNull().default(0),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [
    check('request_categories_sla', sql`${t.slaDays} > 0`),
    check('request_categories_lead_time', sql`${t.leadTimeHours} >= 0`),
  ],
);

/** The triage ladder, tried in `position` order; a tenant without rows uses the default ladder. */
export const triageTiers = sqliteTable('triage_tiers', {
  slug: text('slug').primaryKey(),
  position: integer('position').notNull().unique(),
  nameNl: text('name_nl').notNull(),
  nameEn: text('name_en').notNull(),
});

/** Who can take a request on: a volunteer group, the woonservice, a private provider, a company. */
export const triageProviders = sqliteTable(
  'triage_providers',
  {
    id: text('id').primaryKey(),
    /** An organisation's name; never a resident's. */
    name: text('name').notNull(),
    tier: text('tier').notNull(),
    /** The partner API key that answers offers on the provider's behalf, where it has one. */
    keyId: text('key_id'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    /**
     * How to reach it (`{ email, phone }`), AES-GCM under the tenant's key: a single volunteer's
     * address is personal data. Null only for providers made from the ledger's old accounts.
     */
    contactCt: text('contact_ct'),
    /** Where payouts go: the IBAN, AES-GCM under the tenant's key; null until the municipality sets it. */
    ibanCt: text('iban_ct'),
    /** The language of its messages and offer pages. */
    language: text('language').notNull().default('nl'),
    /** JSON array of the PC4 areas it serves; null for the whole municipality. */
    area: text('area'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at'),
  },
  (t) => [index('triage_providers_tier_idx').on(t.tier)],
);

export const OFFER_STATUSES = ['open', 'accepted', 'declined', 'expired', 'withdrawn'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/**
 * Every offer of a request to a provider, with the one-time link it was sent: only the SHA-256 of
 * its token is kept. Written and closed in the same batch as the request's own step.
 */
export const offers = sqliteTable(
  'offers',
  {
    id: text('id').primaryKey(),
    requestId: text('request_id')
      .notNull()
      .references(() => requests.id),
    providerId: text('provider_id').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    status: text('status', { enum: OFFER_STATUSES }).notNull().default('open'),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    answeredAt: text('answered_at'),
    /** How it was answered: `link`, `key`, `staff`, `system` (timed out). */
    answeredVia: text('answered_via'),
  },
  (t) => [
    index('offers_request_idx').on(t.requestId, t.status),
    check('offers_status', sql`${t.status} IN ('open', 'accepted', 'declined', 'expired', 'withdrawn')`),
  ],
);

export const triageProviderCategories = sqliteTable(
  'triage_provider_categories',
  {
    providerId: text('provider_id')
      .notNull()
      .references(() => triageProviders.id),
    category: text('category')
      .notNull()
      .references(() => requestCategories.slug),
  },
  (t) => [primaryKey({ columns: [t.providerId, t.category] })],
);

/** One counter per calendar year, incremented in the same write batch as the request it numbers. */
export const requestCounters = sqliteTable('request_counters', {
  year: integer('year').primaryKey(),
  value: integer('value').notNull(),
});

export const requests = sqliteTable(
  'requests',
  {
    id: text('id').primaryKey(),
    /** Shown to people: `GRO-2026-000123`. */
    reference: text('reference').notNull().unique(),
    year: integer('year').notNull(),
    sequence: integer('sequence').notNull(),
    category: text('category')
      .notNull()
      .references(() => requestCategories.slug),
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id),
    /** No coverage rule served the address, so the tenant's default intake team got it. */
    routedToDefault: integer('routed_to_default', { mode: 'boolean' }).notNull(),
    /** Which coverage level decided: `house-range`, `pc6`, `pc4`, `default` or `outside`. */
    matchLevel: text('match_level').notNull(),
    /** The PC4 area only, for statistics; the full address is in `contact_ct`. */
    pc4: text('pc4').notNull(),
    submitterKind: text('submitter_kind', { enum: SUBMITTER_KINDS }).notNull(),
    submitterKeyId: text('submitter_key_id'),
    status: text('status', { enum: REQUEST_STATUSES }).notNull().default('received'),
    /** Bumped by every change, so that a write based on a stale read changes nothing. */
    version: integer('version').notNull().default(1),
    /** The ladder tier it is at; null until triaged. */
    tier: text('tier'),
    /** The provider it is offered to or accepted by. */
    providerId: text('provider_id'),
    offeredAt: text('offered_at'),
    preferredAt: text('preferred_at'),
    /** The language the resident asked in (`nl` or `en`): messages to them are written in it. */
    language: text('language').notNull().default('nl'),
    /** AES-GCM `v1.<iv>.<ciphertext>`; null once anonymised or erased. */
    descriptionCt: text('description_ct'),
    /** AES-GCM JSON of name, e-mail, phone, postcode and house number; null once anonymised or erased. */
    contactCt: text('contact_ct'),
    /** SHA-256 (hex) of the status token shown once to the submitter. */
    statusTokenHash: text('status_token_hash'),
    /** The resident agreed that the provider who helps may read the description. */
    shareWithProvider: integer('share_with_provider', { mode: 'boolean' }).notNull().default(false),
    receivedAt: text('received_at').notNull(),
    /** The Dutch calendar day of receipt, for reports per day and month. */
    receivedOn: text('received_on').notNull(),
    statusChangedAt: text('status_changed_at').notNull(),
    slaDueAt: text('sla_due_at').notNull(),
    triagedAt: text('triaged_at'),
    resolvedAt: text('resolved_at'),
    closedAt: text('closed_at'),
    cancelledAt: text('cancelled_at'),
    anonymisedAt: text('anonymised_at'),
  },
  (t) => [
    index('requests_status_due_idx').on(t.status, t.slaDueAt),
    index('requests_team_idx').on(t.teamId),
    index('requests_category_idx').on(t.category),
    index('requests_received_on_idx').on(t.receivedOn),
    check(
      'requests_status',
      sql`${t.status} IN ('received', 'triaged', 'offered', 'accepted', 'in_progress', 'resolved', 'closed', 'cancelled', 'referred')`,
    ),
    check(
      'requests_submitter',
      sql`(${t.submitterKind} = 'resident' AND ${t.submitterKeyId} IS NULL) OR (${t.submitterKind} = 'partner' AND ${t.submitterKeyId} IS NOT NULL)`,
    ),
    check(
      'requests_anonymised_has_no_personal_data',
      sql`${t.anonymisedAt} IS NULL OR (${t.descriptionCt} IS NULL AND ${t.contactCt} IS NULL AND ${t.statusTokenHash} IS NULL)`,
    ),
  ],
);

/** Every step of a request: who moved it, when, from which status to which, at which tier and provider. */
export const requestEvents = sqliteTable(
  'request_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requestId: text('request_id')
      .notNull()
      .references(() => requests.id),
    at: text('at').notNull(),
    actor: text('actor').notNull(),
    fromStatus: text('from_status', { enum: REQUEST_STATUSES }),
    toStatus: text('to_status', { enum: REQUEST_STATUSES }).notNull(),
    tier: text('tier'),
    providerId: text('provider_id'),
    /** Why, where the system decided: `declined`, `offer-expired`, `ladder-exhausted`. */
    reason: text('reason'),
    /** A staff note, AES-GCM like the description; erased with the request's personal data. */
    noteCt: text('note_ct'),
  },
  (t) => [index('request_events_request_idx').on(t.requestId, t.id)],
);

/**
 * The `Idempotency-Key`s of intake, per caller (`key:<keyId>`, or `resident` for anyone without a
 * key), kept for a day: the same key and body replay the first receipt. The key itself is stored as
 * its SHA-256 only; the status token of the receipt is AES-GCM under the tenant's key, so that the
 * replay can show it again. No foreign key to `requests`: retention may delete a request first.
 */
export const requestIdempotencyKeys = sqliteTable(
  'request_idempotency_keys',
  {
    scope: text('scope').notNull(),
    keyHash: text('key_hash').notNull(),
    bodyHash: text('body_hash').notNull(),
    requestId: text('request_id').notNull(),
    statusTokenCt: text('status_token_ct').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.keyHash] }),
    index('request_idempotency_keys_created_idx').on(t.createdAt),
  ],
);

/**
 * Who read or changed which request, in the tenant's own database. Append-only (triggers); holds
 * references and actors only, never personal data, so it outlives erasure.
 */
export const requestAudit = sqliteTable(
  'request_audit',
  {
    id: text('id').primaryKey(),
    at: text('at').notNull(),
    /** `resident`, `key:<id>`, `provider:<id>`, `system`. */
    actor: text('actor').notNull(),
    action: text('action', { enum: REQUEST_AUDIT_ACTIONS }).notNull(),
    reference: text('reference').notNull(),
    result: text('result', { enum: REQUEST_AUDIT_RESULTS }).notNull(),
    /** A client IP, `cli`, `retention` or `internal`. */
    origin: text('origin').notNull(),
    /** For transitions: `received->triaged`. */
    detail: text('detail'),
  },
  (t) => [index('request_audit_reference_idx').on(t.reference, t.at)],
);

export type RequestCategory = typeof requestCategories.$inferSelect;
export type TriageTier = typeof triageTiers.$inferSelect;
export type TriageProvider = typeof triageProviders.$inferSelect;
export type Offer = typeof offers.$inferSelect;
export type HelpRequest = typeof requests.$inferSelect;
export type RequestEvent = typeof requestEvents.$inferSelect;
export type RequestAuditRow = typeof requestAudit.$inferSelect;
