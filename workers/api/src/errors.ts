import type { ZodError } from 'zod';

/** Every error the API answers with. A closed set: each code has one status and one problem type. */
export const PROBLEMS = {
  'validation-failed': { status: 400, title: 'The request is not valid' },
  unauthorized: { status: 401, title: 'Authentication is required' },
  forbidden: { status: 403, title: 'Not allowed' },
  'above-cap': { status: 403, title: 'Above the limit the platform allows this municipality' },
  'tenant-suspended': { status: 403, title: 'This municipality is suspended' },
  'not-found': { status: 404, title: 'Not found' },
  'tenant-not-found': { status: 404, title: 'Unknown municipality' },
  'postcode-not-served': { status: 404, title: 'This municipality does not serve this postcode' },
  'postcode-unknown': { status: 404, title: 'No municipality is known for this postcode' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'not-acceptable': {
    status: 406,
    title: 'This route cannot answer in the format the Accept header asks for',
  },
  conflict: { status: 409, title: 'Conflict' },
  'reference-prefix-taken': { status: 409, title: 'This reference prefix is taken' },
  'reference-prefix-fixed': { status: 409, title: 'The reference prefix is fixed after the first request' },
  'illegal-transition': { status: 409, title: 'This status change is not allowed' },
  'withdrawal-too-late': { status: 409, title: 'This request can no longer be withdrawn' },
  'idempotency-conflict': { status: 409, title: 'This Idempotency-Key was used for another request' },
  'voucher-not-found': { status: 404, title: 'No such voucher' },
  'voucher-already-redeemed': { status: 409, title: 'This voucher has already been redeemed' },
  'voucher-voided': { status: 409, title: 'This voucher has been voided' },
  'voucher-expired': { status: 409, title: 'This voucher has expired' },
  'insufficient-funds': { status: 409, title: 'The balance is too low for this amount' },
  'provider-inactive': { status: 409, title: 'This provider is no longer active' },
  'redemption-not-found': { status: 404, title: 'No such redemption' },
  'redemption-already-reversed': { status: 409, title: 'This redemption has already been reversed' },
  'redemption-paid-out': {
    status: 409,
    title: 'This redemption has been paid out and can no longer be reversed',
  },
  'nothing-owed': { status: 409, title: 'None of these providers is owed anything' },
  'payout-account-missing': {
    status: 409,
    title: 'The municipality has not set the account payouts are paid from',
  },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported content type' },
  'address-not-served': { status: 422, title: 'This municipality does not serve this address' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  'database-unavailable': { status: 503, title: 'The database is unavailable' },
  'tenant-unavailable': { status: 503, title: 'This municipality is not available yet' },
  'onboarding-unavailable': { status: 503, title: 'Onboarding is not available here' },
  'not-configured': { status: 503, title: 'This server is not configured for this' },
  'provisioning-failed': { status: 503, title: 'Setting up the municipality failed' },
} as const;

export type ProblemCode = keyof typeof PROBLEMS;
export type ProblemStatus = (typeof PROBLEMS)[ProblemCode]['status'];

export interface InvalidParam {
  name: string;
  reason: string;
}

/**
 * At most this many invalid fields are listed in one answer; `invalidParamsTotal` says how many
 * there were. An error answer is never bigger than the request that caused it, however bad.
 */
export const MAX_INVALID_PARAMS = 100;

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  invalidParams?: InvalidParam[];
  /** How many invalid fields there were, when more than `invalidParams` lists. */
  invalidParamsTotal?: number;
  [extension: string]: unknown;
}

/** The first MAX_INVALID_PARAMS invalid fields, each reason cut to a readable length, and the total. */
function listed(
  all: InvalidParam[] | undefined,
  total = all?.length ?? 0,
): Pick<ProblemDetails, 'invalidParams' | 'invalidParamsTotal'> {
  if (!all) return {};
  const invalidParams = all.slice(0, MAX_INVALID_PARAMS).map(({ name, reason }) => ({
    name: name.slice(0, 200),
    reason: reason.slice(0, 500),
  }));
  const count = Math.max(total, all.length);
  return count > invalidParams.length ? { invalidParams, invalidParamsTotal: count } : { invalidParams };
}

const TARGETS: Record<string, string> = { json: 'body', param: 'path', query: 'query', header: 'header' };

export const problemType = (code: ProblemCode) => `urn:wijkteams:problem:${code}`;

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extra: {
      invalidParams?: InvalidParam[];
      /** How many fields were invalid, where `invalidParams` holds only the first of them. */
      invalidParamsTotal?: number;
      headers?: Record<string, string>;
      /** Extension members of the problem (RFC 9457 §3.2), such as `servedBy`. */
      extensions?: Record<string, unknown>;
    } = {},
  ) {
    super(detail);
  }

  get status(): ProblemStatus {
    return PROBLEMS[this.code].status;
  }

  toProblem(instance?: string): ProblemDetails {
    return {
      type: problemType(this.code),
      title: PROBLEMS[this.code].title,
      status: this.status,
      detail: this.detail,
      ...(instance ? { instance } : {}),
      ...listed(this.extra.invalidParams, this.extra.invalidParamsTotal),
      ...this.extra.extensions,
    };
  }

  /**
   * Lists every invalid field, named by where it was sent (`body.contact.email`, `query.houseNumber`,
   * `path.tenant`); an unknown field is listed by its own name.
   */
  static fromZod(error: ZodError, target: string): ApiError {
    const where = TARGETS[target] ?? target;
    const invalidParams = error.issues.flatMap((issue) => {
      const at = [where, ...issue.path.map(String)].join('.');
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({
          name: `${at}.${key}`,
          reason:
            where === 'body' ? 'Unknown field; it is not accepted' : 'Unknown parameter; it is not accepted',
        }));
      }
      return [{ name: at, reason: issue.message }];
    });
    return new ApiError('validation-failed', `${invalidParams.length} invalid parameter(s)`, {
      invalidParams,
    });
  }
}
