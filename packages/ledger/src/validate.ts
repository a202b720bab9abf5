import { LedgerInputError } from './context.ts';

/** Opaque references only: no spaces, so a resident's name does not fit. */
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const EXTERNAL_REFERENCE = /^[\x20-\x7e]{1,100}$/;

export const MAX_AMOUNT_CENTS = 100_000_000;
export const MAX_BATCH = 100;

export function checkReference(field: string, value: string): void {
  if (!REFERENCE.test(value)) {
    throw new LedgerInputError(field, 'must be an opaque reference of 1 to 64 letters, digits, . _ : or -');
  }
}

export function checkIdempotencyKey(value: string): void {
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw new LedgerInputError('idempotencyKey', 'must be 1 to 255 visible ASCII characters');
  }
}

export function checkExternalReference(field: string, value: string | undefined): void {
  if (value !== undefined && !EXTERNAL_REFERENCE.test(value)) {
    throw new LedgerInputError(field, 'must be 1 to 100 printable ASCII characters');
  }
}

export function checkCents(field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0 || value > MAX_AMOUNT_CENTS) {
    throw new LedgerInputError(field, `must be a whole number of cents from 1 to ${MAX_AMOUNT_CENTS}`);
  }
}

export function checkCount(value: number): void {
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_BATCH) {
    throw new LedgerInputError('count', `must be a whole number from 1 to ${MAX_BATCH}`);
  }
}

export function checkYear(value: number): void {
  if (!Number.isSafeInteger(value) || value < 2000 || value > 2100) {
    throw new LedgerInputError('year', 'must be a year from 2000 to 2100');
  }
}

export function checkDate(field: string, value: Date): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new LedgerInputError(field, 'must be a valid date');
  }
}
