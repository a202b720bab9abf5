import { type Tenant, tenantDb } from '@wijkteams/db';
import { findTenant, TENANT_SLUG_PATTERN } from '@wijkteams/tenants';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';
import { ApiError } from '../errors.ts';

interface CachedTenant {
  tenant: Tenant | undefined;
  expires: number;
}

/** Per isolate: the control plane is asked at most once per slug per TTL, unknown slugs included. */
const cache = new Map<string, CachedTenant>();
const MAX_CACHED = 1_000;

export function forgetTenant(slug?: string): void {
  if (slug === undefined) cache.clear();
  else cache.delete(slug);
}

/** Resolves `/v1/{tenant}/…` to an active tenant and opens its database for this request. */
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
  const { config, databases } = c.var.runtime;
  const now = Date.now();
  let entry = cache.get(slug);
  if (!entry || entry.expires <= now) {
    entry = { tenant: await findTenant(c.var.control(), slug), expires: now + config.tenantCacheTtlMs };
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(slug, entry);
  }
  const { tenant } = entry;
  if (!tenant) throw new ApiError('tenant-not-found', `There is no municipality '${slug}' here`);
  if (tenant.status === 'suspended') throw new ApiError('tenant-suspended', `${tenant.name} is suspended`);
  if (tenant.status !== 'active') {
    throw new ApiError('tenant-unavailable', `${tenant.name} is being set up (${tenant.status})`);
  }

  const client = databases.tenant(tenant.databaseUrl);
  c.set('tenant', tenant);
  c.set('db', tenantDb(client));
  try {
    await next();
  } finally {
    if (databases.perRequest) client.close();
  }
};
