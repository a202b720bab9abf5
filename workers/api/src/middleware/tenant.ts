import type { Client } from '@libsql/client';
import { type TenantDb, tenantDb } from '@wijkteams/db';
import { findTenant, TENANT_SLUG_PATTERN } from '@wijkteams/tenants';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';
import { ApiError } from '../errors.ts';

/**
 * Resolves `/v1/{tenant}/…` to an active tenant and opens its database for this request. Every
 * tenant route passes here, so this is where a key of another tenant is refused (on public routes
 * too) and where rate limits apply: per key, or per client IP for anonymous callers.
 */
export const resolveTenant: MiddlewareHandler<AppEnv> = async (c, next) => {
  const slug = c.req.param('tenant') ?? '';
  if (!TENANT_SLUG_PATTERN.test(slug)) {
    throw new ApiError(
      'validation-failed',
      'A municipality is named by lowercase letters, digits and dashes',
      {
        invalidParams: [{ name: 'path.tenant', reason: 'Must match ^[a-z][a-z0-9-]{1,39}$' }],
      },
    );
  }
  const runtime = c.get('runtime');
  const actor = c.get('actor');
  const tenant = await runtime.tenantCache.get(slug, (s) => findTenant(c.get('control')(), s));
  if (!tenant) throw new ApiError('tenant-not-found', `There is no municipality '${slug}' here`);
  if (actor.type === 'key' && actor.tenantId !== tenant.id) {
    throw new ApiError('forbidden', 'This key belongs to another municipality');
  }
  if (tenant.status === 'suspended') throw new ApiError('tenant-suspended', `${tenant.name} is suspended`);
  if (tenant.status !== 'active') {
    throw new ApiError('tenant-unavailable', `${tenant.name} is being set up (${tenant.status})`);
  }

  if (actor.type !== 'platform-admin') {
    const { config, limiter } = runtime;
    const decision =
      actor.type === 'key'
        ? limiter.take(
            `key:${actor.keyId}`,
            tenant.settings.keyRateLimitPerMinute ?? config.keyRateLimitPerMinute,
          )
        : limiter.take(
            `ip:${tenant.id}:${runtime.clientIp(c)}`,
            tenant.settings.publicRateLimitPerMinute ?? config.publicRateLimitPerMinute,
          );
    c.header('RateLimit-Limit', String(decision.limit));
    c.header('RateLimit-Remaining', String(decision.remaining));
    c.header('RateLimit-Reset', String(decision.resetSeconds));
    if (!decision.allowed) {
      throw new ApiError('rate-limited', `At most ${decision.limit} requests per minute; try again later`, {
        headers: { 'Retry-After': String(decision.resetSeconds) },
      });
    }
  }

  // Opened on first use: a lookup answered from the coverage index never touches the database.
  let client: Client | undefined;
  let db: TenantDb | undefined;
  c.set('tenant', tenant);
  c.set('db', () => {
    client ??= runtime.databases.tenant(tenant.databaseUrl);
    db ??= tenantDb(client);
    return db;
  });
  try {
    await next();
  } finally {
    if (client) runtime.databases.release(client);
  }
  // A change may have written outbox events (they are written with the change): wake the sender.
  if (!SAFE_METHODS.has(c.req.method) && c.res.status < 400) runtime.kickOutbox(c, tenant.slug);
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
