import type { Client } from '@libsql/client';
import { type Tenant, type TenantDb, tenantDb } from '@wijkteams/db';
import { findTenant, TENANT_SLUG_PATTERN } from '@wijkteams/tenants';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';
import { ApiError } from '../errors.ts';
import { payForLookup, rateLimited } from './stranger-limits.ts';

/**
 * The tenant of a slug, from the isolate's cache; a slug it does not remember is looked up in the
 * control plane only after the caller paid for it (see payForLookup).
 */
export function lookupTenant(c: Context<AppEnv>, slug: string): Promise<Tenant | undefined> {
  return c.get('runtime').tenantCache.get(slug, async (s) => {
    const { settle } = await payForLookup(c);
    const tenant = await findTenant(c.get('control')(), s);
    await settle(tenant !== undefined);
    return tenant;
  });
}

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
  const tenant = await lookupTenant(c, slug);
  if (!tenant) throw new ApiError('tenant-not-found', `There is no municipality '${slug}' here`);
  if (actor.type === 'key' && actor.tenantId !== tenant.id) {
    throw new ApiError('forbidden', 'This key belongs to another municipality');
  }
  if (tenant.status === 'suspended') throw new ApiError('tenant-suspended', `${tenant.name} is suspended`);
  if (tenant.status !== 'active') {
    throw new ApiError('tenant-unavailable', `${tenant.name} is being set up (${tenant.status})`);
  }

  if (actor.type !== 'platform-admin') {
    const { config, limits } = runtime;
    const decision =
      actor.type === 'key'
        ? limits.keys.take(actor.keyId, tenant.settings.keyRateLimitPerMinute ?? config.keyRateLimitPerMinute)
        : limits.clients.take(
            `${tenant.id}:${runtime.clientIp(c)}`,
            tenant.settings.publicRateLimitPerMinute ?? config.publicRateLimitPerMinute,
          );
    c.header('RateLimit-Limit', String(decision.limit));
    c.header('RateLimit-Remaining', String(decision.remaining));
    c.header('RateLimit-Reset', String(decision.resetSeconds));
    if (!decision.allowed) throw rateLimited(decision);
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
