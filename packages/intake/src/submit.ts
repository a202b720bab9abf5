import type { InStatement } from '@libsql/client';
import {
  newId,
  type RequestCategory,
  requestCategories,
  sha256Hex,
  tenantDb,
  textLine,
  textLines,
} from '@wijkteams/db';
import {
  type CoverageIndex,
  type Municipality,
  nationalIndex,
  type PublicTeam,
  parsePostcode,
} from '@wijkteams/lookup';
import { addHours, addWorkingDays, dutchDay } from '@wijkteams/time';
import { z } from 'zod';
import { type IntakeContext, type InvalidParam, originOf } from './context.ts';
import { encryptText, newStatusToken, statusTokenBinding } from './crypto.ts';
import { claimStatements, earlierReceipt, intakeClaim, isClaimTaken, type Receipt } from './idempotency.ts';
import type { InvalidInput } from './outcomes.ts';
import { assertTenantCode } from './reference.ts';
import { toInvalidParams } from './validation.ts';

export const MAX_DESCRIPTION_LENGTH = 4000;

const POSTCODE_REASON =
  'Not a Dutch postcode: four digits (not starting with 0) and two letters, like 1234 AB';

/** A phone number as people write it: digits, spaces, hyphens, brackets, a leading `+`. */
export const CONTACT_PHONE_PATTERN = /^\+?[0-9][0-9 ()-]{5,19}$/;

/** How people are reached: the contact detail they would rather be called or written at. */
export const CONTACT_CHANNELS = ['email', 'phone'] as const;

/**
 * The intake body. Strict: an unknown field (a `bsn`, say) is an error, not ignored. At least one
 * of e-mail and phone is required, because a team cannot answer a request it cannot follow up.
 * The address is in the BAG's parts: house number, house letter (one letter, kept in upper case)
 * and house-number addition (up to four letters or digits); a letter or addition needs a number.
 */
export const intakeBodySchema = z
  .strictObject({
    postcode: z
      .string()
      .max(32)
      .transform((value, ctx) => {
        const parsed = parsePostcode(value);
        if (parsed.ok) return parsed.postcode;
        // A fixed reason: the parser's own can quote part of the address.
        ctx.addIssue({ code: 'custom', message: POSTCODE_REASON });
        return z.NEVER;
      }),
    houseNumber: z.number().int().min(1).max(99_999).optional(),
    houseLetter: z
      .string()
      .regex(/^[A-Za-z]$/, 'One letter, as in 12a')
      .transform((letter) => letter.toUpperCase())
      .optional(),
    houseNumberAddition: z
      .string()
      .regex(/^[A-Za-z0-9]{1,4}$/, 'One to four letters or digits, as in 12-2 or 12 bis')
      .optional(),
    category: z.string().min(1).max(64),
    description: textLines(MAX_DESCRIPTION_LENGTH),
    contact: z
      .strictObject({
        name: textLine(200),
        email: z.email().max(254).optional(),
        phone: z.string().trim().regex(CONTACT_PHONE_PATTERN, 'Not a phone number').optional(),
        preferredChannel: z.enum(CONTACT_CHANNELS).optional(),
      })
      .refine(
        (c) => c.email !== undefined || c.phone !== undefined,
        'Give an e-mail address or a phone number',
      )
      .refine((c) => c.preferredChannel === undefined || c[c.preferredChannel] !== undefined, {
        message: 'The preferred channel needs its contact detail',
        path: ['preferredChannel'],
      }),
    consent: z.literal(true, { error: 'Consent to process these details is required' }),
    /** Separate from `consent`: the provider who helps may read the description. */
    shareWithProvider: z.boolean().default(false),
    preferredAt: z.iso.datetime({ offset: true, error: 'An ISO 8601 date and time with offset' }).optional(),
    /** The language messages to the resident are written in. */
    language: z.enum(['nl', 'en']).optional(),
  })
  .refine((b) => b.houseNumber !== undefined || (b.houseLetter ?? b.houseNumberAddition) === undefined, {
    message: 'A house letter or addition needs the house number',
    path: ['houseNumber'],
  });

export type IntakeInput = z.input<typeof intakeBodySchema>;

export type Submitter = { kind: 'resident' } | { kind: 'partner'; keyId: string };

export type SubmitOutcome =
  /**
   * `statusToken` is shown once (only its SHA-256 is stored with the request) and again only to a
   * retry with the same `Idempotency-Key`; `routedToDefault`: no coverage rule served the address,
   * so the default intake team got it.
   */
  | Receipt
  | InvalidInput
  /** The address is served by no team and the tenant has no default intake team. */
  | { ok: false; reason: 'no-intake-team' }
  /** The postcode lies outside the municipality: `municipality` (CBS) is the one to turn to. */
  | { ok: false; reason: 'outside-municipality'; postcode: string; municipality: Municipality | null }
  /** This `Idempotency-Key` was used for another body. */
  | { ok: false; reason: 'idempotency-conflict' };

export interface SubmitOptions {
  /** The same key and body give the first answer again; kept per caller for a day. */
  idempotencyKey?: string;
}

/**
 * Takes in a help request: validates it, routes it to the team that serves the address (the
 * tenant's default intake team where no rule does; a postcode of another municipality is refused),
 * numbers it and stores it with its personal data encrypted, its first history row, its audit row
 * and its idempotency record, in one write batch. Nothing is stored from a rejected request.
 */
export async function submitRequest(
  ctx: IntakeContext,
  input: unknown,
  submitter: Submitter,
  coverage: CoverageIndex,
  options: SubmitOptions = {},
): Promise<SubmitOutcome> {
  assertTenantCode(ctx.tenant.code);
  const now = ctx.clock();
  const claim =
    options.idempotencyKey === undefined
      ? undefined
      : intakeClaim(
          submitter.kind === 'partner' ? `key:${submitter.keyId}` : 'resident',
          options.idempotencyKey,
          input,
        );
  // Before validation: a retry is answered as the first try was, even once its date is too near.
  const earlier = claim && (await earlierReceipt(ctx, claim, coverage));
  if (earlier === 'conflict') return { ok: false, reason: 'idempotency-conflict' };
  if (earlier) return earlier;
  const categories = new Map(
    (await tenantDb(ctx.db).select().from(requestCategories)).filter((c) => c.active).map((c) => [c.slug, c]),
  );
  const parsed = intakeBodySchema.safeParse(input);
  const invalidParams = [
    ...(parsed.success ? [] : toInvalidParams(parsed.error)),
    ...categoryProblems(input, categories, now),
  ];
  if (!parsed.success || invalidParams.length > 0)
    return { ok: false, reason: 'invalid-input', invalidParams };
  const body = parsed.data;
  const category = categories.get(body.category) as RequestCategory;

  const routing = route(coverage, body.postcode, body.houseNumber ?? null, dutchDay(now));
  if (routing === 'outside') {
    const municipality = nationalIndex().municipalityOf(body.postcode.pc4) ?? null;
    return { ok: false, reason: 'outside-municipality', postcode: body.postcode.display, municipality };
  }
  if (!routing) return { ok: false, reason: 'no-intake-team' };

  const id = newId('req');
  const statusToken = newStatusToken();
  const [descriptionCt, contactCt, statusTokenHash, tokenForMessage] = await Promise.all([
    encryptText(ctx.encryptionKey, body.description, `${id}:description`),
    encryptText(
      ctx.encryptionKey,
      JSON.stringify({
        name: body.contact.name,
        email: body.contact.email ?? null,
        phone: body.contact.phone ?? null,
        postcode: body.postcode.canonical,
        houseNumber: body.houseNumber ?? null,
        houseLetter: body.houseLetter ?? null,
        houseNumberAddition: body.houseNumberAddition ?? null,
        preferredChannel: body.contact.preferredChannel ?? null,
      }),
      `${id}:contact`,
    ),
    sha256Hex(statusToken),
    // For the confirmation message only; the outbox erases it once the message is made.
    encryptText(ctx.encryptionKey, statusToken, statusTokenBinding(id)),
  ]);
  const receivedOn = dutchDay(now);
  const year = Number(receivedOn.slice(0, 4));
  const at = now.toISOString();
  // Working days in the tenant's calendar, ending at the clock time of receipt.
  const slaDueAt = addWorkingDays(now, category.slaDays, ctx.calendar).toISOString();
  const actor = submitter.kind === 'partner' ? `key:${submitter.keyId}` : 'resident';

  const statements: InStatement[] = [
    {
      sql: `INSERT INTO request_counters (year, value) VALUES (?, 1)
            ON CONFLICT (year) DO UPDATE SET value = value + 1`,
      args: [year],
    },
    {
      // The number comes from the counter inside the same transaction, so no two requests share one.
      sql: `INSERT INTO requests (id, reference, year, sequence, category, team_id, routed_to_default, match_level,
              pc4, submitter_kind, submitter_key_id, status, preferred_at, language, description_ct, contact_ct,
              status_token_hash, share_with_provider, received_at, received_on, status_changed_at, sla_due_at)
            SELECT ?, printf('%s-%04d-%06d', ?, year, value), year, value, ?, ?, ?, ?,
              ?, ?, ?, 'received', ?, ?, ?, ?,
              ?, ?, ?, ?, ?, ?
            FROM request_counters WHERE year = ?
            RETURNING reference`,
      args: [
        id,
        ctx.tenant.code,
        category.slug,
        routing.team.id,
        routing.routedToDefault ? 1 : 0,
        routing.matchLevel,
        body.postcode.pc4,
        submitter.kind,
        submitter.kind === 'partner' ? submitter.keyId : null,
        body.preferredAt ? new Date(body.preferredAt).toISOString() : null,
        body.language ?? 'nl',
        descriptionCt,
        contactCt,
        statusTokenHash,
        body.shareWithProvider ? 1 : 0,
        at,
        receivedOn,
        at,
        slaDueAt,
        year,
      ],
    },
    {
      sql: `INSERT INTO request_events (request_id, at, actor, from_status, to_status) VALUES (?, ?, ?, NULL, 'received')`,
      args: [id, at, actor],
    },
    {
      sql: `INSERT INTO request_audit (id, at, actor, action, reference, result, origin)
            SELECT ?, ?, ?, 'request.created', reference, 'success', ? FROM requests WHERE id = ?`,
      args: [newId('aud'), at, actor, originOf(ctx), id],
    },
    {
      // The history row above wrote the `request.created` event (trigger `outbox_request_step`).
      sql: `UPDATE outbox_events SET secret_ct = ? WHERE request_id = ? AND type = 'request.created'`,
      args: [tokenForMessage, id],
    },
    ...(claim ? await claimStatements(ctx, claim, id, statusToken, now) : []),
  ];
  let results: Awaited<ReturnType<typeof ctx.db.batch>>;
  try {
    results = await ctx.db.batch(statements, 'write');
  } catch (error) {
    // Another request with this key was stored first: this one is its retry.
    const first = claim && isClaimTaken(error) ? await earlierReceipt(ctx, claim, coverage) : undefined;
    if (first === 'conflict') return { ok: false, reason: 'idempotency-conflict' };
    if (first) return first;
    throw error;
  }
  const reference = String(results[1]?.rows[0]?.reference);
  return {
    ok: true,
    reference,
    status: 'received',
    team: { id: routing.team.id, name: routing.team.name },
    statusToken,
    routedToDefault: routing.routedToDefault,
    slaDueAt,
  };
}

function route(
  coverage: CoverageIndex,
  postcode: Parameters<CoverageIndex['resolve']>[0],
  houseNumber: number | null,
  date: string,
): { team: PublicTeam; routedToDefault: boolean; matchLevel: string } | 'outside' | undefined {
  const match = coverage.resolve(postcode, houseNumber, date);
  if (match) {
    const routedToDefault = match.match.level === 'default';
    return { team: match.team, routedToDefault, matchLevel: match.match.level };
  }
  // Not one of the municipality's own areas: another municipality's residents turn to that one.
  return coverage.servesArea(postcode.pc4) ? undefined : 'outside';
}

/**
 * Checks that need the tenant's categories: the category exists, and a category that books a time
 * has a `preferredAt` far enough ahead. Run even when the rest of the body is invalid, so that one
 * answer lists every problem.
 */
function categoryProblems(
  input: unknown,
  categories: Map<string, RequestCategory>,
  now: Date,
): InvalidParam[] {
  if (typeof input !== 'object' || input === null) return [];
  const { category: slug, preferredAt } = input as Record<string, unknown>;
  if (typeof slug !== 'string') return [];
  const category = categories.get(slug);
  if (!category) return [{ name: 'category', reason: 'Unknown category; GET /categories lists them' }];
  if (!category.needsSchedule) return [];
  if (preferredAt === undefined) {
    return [{ name: 'preferredAt', reason: 'This category needs a date and time' }];
  }
  const when = typeof preferredAt === 'string' ? new Date(preferredAt) : undefined;
  if (!when || Number.isNaN(when.getTime())) return [];
  if (when < addHours(now, category.leadTimeHours)) {
    return [{ name: 'preferredAt', reason: `Book at least ${category.leadTimeHours} hours ahead` }];
  }
  return [];
}
