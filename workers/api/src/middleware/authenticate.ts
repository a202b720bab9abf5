import { checkApiKey, keyByHash, secretsEqual, touchApiKey } from '@wijkteams/access';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';
import { ApiError } from '../errors.ts';
import { payForLookup, recordAuthFailure, refuseAfterFailures } from './stranger-limits.ts';

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{16,256})$/;
const REASONS = {
  malformed: 'This is not an API key of this platform',
  unknown: 'This API key is not known',
  revoked: 'This API key has been revoked',
  expired: 'This API key has expired',
} as const;

/**
 * Who is calling: the platform admin, a tenant key, or nobody. Keys are only ever read from the
 * Authorization header. What the caller may do is decided per route (requireScope, requirePlatformAdmin).
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header('Authorization');
  if (header === undefined) {
    c.set('actor', { type: 'anonymous' });
    return next();
  }
  refuseAfterFailures(c);
  const token = BEARER.exec(header)?.[1];
  if (!token) {
    recordAuthFailure(c);
    throw new ApiError('unauthorized', 'Send a key as `Authorization: Bearer <key>`');
  }
  const runtime = c.get('runtime');
  const adminKey = runtime.config.platformAdminKey;
  if (adminKey && secretsEqual(token, adminKey)) {
    c.set('actor', { type: 'platform-admin' });
    return next();
  }

  const now = new Date();
  const fromDatabase = keyByHash(c.get('control')());
  const lookup = runtime.keyCache.lookup(async (hash) => {
    const { settle } = await payForLookup(c);
    const key = await fromDatabase(hash);
    await settle(key !== undefined);
    return key;
  });
  const check = await checkApiKey(lookup, token, now);
  if (!check.ok) {
    recordAuthFailure(c);
    throw new ApiError('unauthorized', REASONS[check.reason]);
  }
  const { key } = check;
  if (runtime.keyCache.shouldTouch(key.id, now.getTime())) await touchApiKey(c.get('control')(), key.id, now);
  c.set('actor', {
    type: 'key',
    keyId: key.id,
    tenantId: key.tenantId,
    scopes: key.scopes,
    providerId: key.providerId,
  });
  return next();
};
