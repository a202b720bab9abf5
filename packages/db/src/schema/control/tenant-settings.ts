import { z } from 'zod';
import { BicSchema, IbanSchema } from '../../iban.ts';
import { textLine } from '../../text.ts';

/**
 * A tenant's settings, stored as JSON in `tenants.settings`: the one schema for what is stored,
 * what `GET|PATCH /v1/{tenant}/settings` and `PATCH /v1/tenants/{tenant}` take, and what the code
 * reads. A new setting (the event outbox's `messageTemplates`, say) is one more key here.
 */

const RATE_LIMIT = z.number().int().min(1).max(100_000);

/**
 * Whether a string is a web origin as a browser sends it in `Origin`: `http(s)://host[:port]`, no
 * path, no trailing slash. Never throws: `""`, `"*"` or `"null"` are simply not origins (a refine
 * runs even when an earlier check failed, so `new URL` here must not throw: it was a 500).
 */
export function isOrigin(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
}

/** A browser origin: scheme, host and port, nothing after. */
const Origin = z
  .string()
  .max(2_048)
  .refine(isOrigin, { message: 'An origin: scheme, host and port only (https://www.gemeente.nl)' });

/** Which days count as working days for SLAs; see `@wijkteams/time` (`WorkingDayCalendar`). */
export const SlaCalendarSchema = z.strictObject({
  liberationDay: z.enum(['every-year', 'lustrum', 'never']).default('every-year'),
  goodFriday: z.boolean().default(false),
  closedDays: z
    .array(z.iso.date({ error: 'A date that exists, YYYY-MM-DD' }))
    .max(100)
    .default([]),
});

/** Caps on a tenant's own rate limits; only the platform admin sets them. */
export const RateLimitCapsSchema = z.strictObject({
  keyRateLimitPerMinute: RATE_LIMIT,
  publicRateLimitPerMinute: RATE_LIMIT,
});

/** The municipality's own bank account, which payout batches are paid from (the SEPA debtor). */
export const PayoutAccountSchema = z
  .strictObject({
    /** As the bank knows the account holder; at most 70 characters (ISO 20022). */
    name: textLine(70),
    iban: IbanSchema,
    /** Optional within SEPA; some banks still ask for it. */
    bic: BicSchema.optional(),
  })
  // A BIC names its bank's country (its 5th and 6th letters); the bank file refuses another one's.
  .refine((account) => account.bic === undefined || account.bic.slice(4, 6) === account.iban.slice(0, 2), {
    path: ['bic'],
    message: 'The BIC is of a bank in another country than the IBAN',
  });

export const TENANT_SETTINGS_FIELDS = {
  /** Browser origins allowed to call this tenant's non-public routes (CORS). */
  corsOrigins: z.array(Origin).max(50),
  /** Requests per minute per API key. */
  keyRateLimitPerMinute: RATE_LIMIT,
  /** Requests per minute per client IP on this tenant's public routes. */
  publicRateLimitPerMinute: RATE_LIMIT,
  /** The highest rate limits the tenant may set itself; the platform's defaults where not set. */
  rateLimitCaps: RateLimitCapsSchema,
  /** Hours a provider has to answer an offer before the request moves down the ladder. */
  offerTimeoutHours: z.number().int().min(1).max(720),
  slaCalendar: SlaCalendarSchema,
  /** null takes it away again. */
  payoutAccount: PayoutAccountSchema.nullable(),
} as const;

/** What is stored: every key optional (a default applies where one is missing). */
export const TenantSettingsSchema = z.strictObject(TENANT_SETTINGS_FIELDS).partial();

export type TenantSettings = z.output<typeof TenantSettingsSchema>;
export type SlaCalendar = z.output<typeof SlaCalendarSchema>;
export type PayoutAccount = z.output<typeof PayoutAccountSchema>;

export const DEFAULT_OFFER_TIMEOUT_HOURS = 48;
