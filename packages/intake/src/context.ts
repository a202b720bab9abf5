import type { Client } from '@libsql/client';
import type { WorkingDayCalendar } from '@wijkteams/time';
import type { TenantKey } from './crypto.ts';

/**
 * What every intake function works on: one tenant's database, its key for personal data and a
 * clock. Nothing of HTTP: the Worker, the Node server, a CLI and the tests build the same context.
 */
export interface IntakeContext {
  /** The tenant's own database (`@libsql/client` or `@libsql/client/web`). */
  db: Client;
  clock: () => Date;
  /** `code` starts every reference: `GRO` gives `GRO-2026-000123`. */
  tenant: { id: string; slug: string; code: string };
  /** From `importTenantKey`; encrypts descriptions, contact details and notes. */
  encryptionKey: TenantKey;
  /** Which days count for SLAs (`settings.slaCalendar`); the Dutch default where not given. */
  calendar?: WorkingDayCalendar;
  /** Where calls come from, for the audit log: a client IP, `cli`; `internal` when not given. */
  origin?: string;
  /** How long a provider has to answer an offer (the tenant's setting; 48 h when not given). */
  offerTimeoutHours?: number;
}

export { DEFAULT_OFFER_TIMEOUT_HOURS } from '@wijkteams/db';

/**
 * Who acts, as recorded in history and audit: `resident`, `key:<keyId>`, `provider:<providerId>`,
 * `system`. An identifier, never a name.
 */
export type Actor = string;

/** One invalid input field, in the shape of the problem details' `invalidParams`. */
export interface InvalidParam {
  name: string;
  reason: string;
}

export const originOf = (ctx: IntakeContext): string => ctx.origin ?? 'internal';
