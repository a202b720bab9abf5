import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';
import { ApiError } from '../errors.ts';

const encoder = new TextEncoder();

async function digest(value: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value)));
}

/** Compares two secrets in time that does not depend on where they differ. */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([digest(a), digest(b)]);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer ([A-Za-z0-9._~+/=-]{16,256})$/);
  return match?.[1];
}

/** Only the platform admin key passes. */
export const requirePlatformAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = bearerToken(c.req.header('Authorization'));
  if (!token)
    throw new ApiError('unauthorized', 'Send the platform admin key as `Authorization: Bearer <key>`');
  const adminKey = c.var.runtime.config.platformAdminKey;
  if (!adminKey || !(await secretsEqual(token, adminKey))) {
    throw new ApiError('forbidden', 'This key may not manage the platform');
  }
  await next();
};
