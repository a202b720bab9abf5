import { z } from '@hono/zod-openapi';
import type {
  Idempotent,
  LedgerContext,
  LedgerWriteInput,
  LedgerWriteName,
  LedgerWriteResult,
} from '@wijkteams/ledger';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { ApiError, type ProblemCode } from '../../errors.ts';
import { VOUCHER_EXAMPLE } from './schemas.ts';

/** For reads of the tenant's ledger, straight from its database. */
export function ledgerContext(c: Context<AppEnv>): LedgerContext {
  return { db: c.get('db')().$client, clock: () => new Date() };
}

/** A write to the tenant's ledger, through the one writer that owns it (see ledger-writer.ts). */
export function writeLedger<K extends LedgerWriteName>(
  c: Context<AppEnv>,
  name: K,
  input: LedgerWriteInput<K>,
): Promise<LedgerWriteResult<K>> {
  return c.get('runtime').ledger.write(c.get('tenant'), name, input);
}

/**
 * The ledger's idempotency key for a request: the caller's `Idempotency-Key`, kept apart per API
 * key (and for the platform admin), so that two partners who pick the same key never get each
 * other's answers, nor a conflict over each other's requests.
 */
export function idempotencyKeyOf(c: Context<AppEnv>, key: string): string {
  const actor = c.get('actor');
  return `${actor.type === 'key' ? actor.keyId : actor.type}:${key}`;
}

/** Every request that moves value names itself with an Idempotency-Key header; a missing one is a 400. */
export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string({ error: 'Required: every request that moves value carries an Idempotency-Key' })
    .regex(/^[\x21-\x7e]{8,128}$/, '8 to 128 visible ASCII characters, e.g. a UUID')
    .openapi({
      example: '0b9f6c4e-1d2a-4c1e-9a55-3f7d2f0e8a11',
      description: 'Names this request: the same key and body again replay the first answer',
    }),
});

export const VoucherCodeParam = z
  .string()
  .max(40)
  .openapi({
    param: { name: 'code', in: 'path' },
    example: VOUCHER_EXAMPLE.code,
    description:
      '12 symbols of Crockford base32 and a check symbol, as printed (`K7QF-3M9X-T2HD-7`); any case, spaces or dashes anywhere. A typo fails the check symbol: a 400 before any lookup',
  });

export const CentsSchema = z.number().int().min(1).max(100_000_000);

/** A resident or provider as the ledger knows them: an opaque reference, never a name. */
export const LedgerReference = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/,
    'An opaque reference of letters, digits, . _ : or -, not a name',
  )
  .openapi({ description: 'An opaque reference of letters, digits, . _ : or -, never a name' });

/** The provider's own reference for a service (an invoice number): what the ledger stores, printable ASCII. */
export const ExternalReference = z
  .string()
  .regex(/^[\x20-\x7e]{1,100}$/, '1 to 100 printable ASCII characters')
  .openapi({ example: 'WAA-2026-000042' });

/** What settling a voucher (redeeming, voiding) can be refused with. */
export const SETTLE_PROBLEMS = [
  'voucher-not-found',
  'voucher-already-redeemed',
  'voucher-voided',
  'voucher-expired',
  'idempotency-conflict',
] as const;

const REFUSALS: Record<string, ProblemCode> = {
  'already-redeemed': 'voucher-already-redeemed',
  voided: 'voucher-voided',
  expired: 'voucher-expired',
  'not-found': 'voucher-not-found',
  'insufficient-funds': 'insufficient-funds',
};

/**
 * The body of a successful ledger outcome; a refusal becomes its problem. A replay answers with the
 * first outcome, mapped the same way, so the same key with the same body always gets the same
 * status and body.
 */
export function ledgerAnswer<A extends { status: string; body: object }>(
  c: Context<AppEnv>,
  result: Idempotent<A>,
): Extract<A, { status: 'ok' }>['body'] {
  if (result.status === 'idempotency-conflict') {
    throw new ApiError('idempotency-conflict', 'The same Idempotency-Key came with another request body');
  }
  let answer = result as A;
  if ('first' in result) {
    c.header('Idempotent-Replayed', 'true');
    answer = result.first;
  }
  if (answer.status === 'ok') return answer.body as Extract<A, { status: 'ok' }>['body'];
  const code = REFUSALS[answer.status];
  if (!code) throw new Error(`Unmapped ledger outcome ${answer.status}`);
  throw new ApiError(code, `Refused: ${answer.status}`, { extensions: { ...answer.body } });
}

export function invalidCode(reason: string): ApiError {
  return new ApiError('validation-failed', 'This is not a valid voucher code', {
    invalidParams: [
      { name: 'path.code', reason: `Check the code (${reason}); a typo is caught before lookup` },
    ],
  });
}
