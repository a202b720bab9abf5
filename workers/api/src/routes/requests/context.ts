import type { Actor as AccessActor } from '@wijkteams/access';
import type { IntakeContext, InvalidParam } from '@wijkteams/intake';
import { referencePrefixOf } from '@wijkteams/tenants';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';

/** The intake domain's context for this request: the tenant's database, key and the caller's origin. */
export async function intakeContext(c: Context<AppEnv>): Promise<IntakeContext> {
  const tenant = c.get('tenant');
  const runtime = c.get('runtime');
  return {
    db: c.get('db')().$client,
    clock: () => new Date(),
    tenant: { id: tenant.id, slug: tenant.slug, code: referencePrefixOf(tenant) },
    calendar: tenant.settings.slaCalendar,
    encryptionKey: await runtime.requestKey(tenant.id),
    origin: runtime.clientIp(c),
    ...(tenant.settings.offerTimeoutHours ? { offerTimeoutHours: tenant.settings.offerTimeoutHours } : {}),
  };
}

/** How the intake domain names who acted: `resident`, `key:<id>`, `platform-admin`. */
export function intakeActor(actor: AccessActor): string {
  return actor.type === 'key'
    ? `key:${actor.keyId}`
    : actor.type === 'platform-admin'
      ? 'platform-admin'
      : 'resident';
}

export function invalid(invalidParams: InvalidParam[], where = 'body'): ApiError {
  // Only a body could have been stored; a refused query or path changes nothing either way.
  const detail = where.startsWith('body')
    ? `${invalidParams.length} invalid field(s); nothing was stored`
    : `${invalidParams.length} invalid parameter(s)`;
  return new ApiError('validation-failed', detail, {
    invalidParams: invalidParams.map((p) => ({
      name: p.name === '(body)' ? where : `${where}.${p.name}`,
      reason: p.reason,
    })),
  });
}

/** Outcomes of the status flow that are not successes, as problems. */
export function moveProblem(outcome: { ok: false; reason: string; from?: string; to?: string }): ApiError {
  switch (outcome.reason) {
    case 'not-found':
      return new ApiError('not-found', 'This municipality has no such request');
    case 'illegal-transition':
      return new ApiError('illegal-transition', `A request cannot go from ${outcome.from} to ${outcome.to}`);
    default:
      return new ApiError('conflict', `The request cannot be moved: ${outcome.reason}`);
  }
}
