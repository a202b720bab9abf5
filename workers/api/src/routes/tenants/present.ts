import type { Tenant } from '@wijkteams/db';

/** The tenant as the platform admin sees it; the database URL stays inside. */
export function presentTenant(tenant: Tenant) {
  const { id, slug, name, municipalityCode, status, lastError, settings, createdAt, updatedAt } = tenant;
  return { id, slug, name, municipalityCode, status, lastError, settings, createdAt, updatedAt };
}
