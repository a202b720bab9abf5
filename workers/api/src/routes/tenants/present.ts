import type { Tenant } from '@wijkteams/db';
import { referencePrefixOf } from '@wijkteams/tenants';

/** The tenant as the platform admin sees it; the database URL stays inside. */
export function presentTenant(tenant: Tenant) {
  const { id, slug, name, municipalityCode, status, lastError, settings, createdAt, updatedAt } = tenant;
  const referencePrefix = referencePrefixOf(tenant);
  return {
    id,
    slug,
    name,
    municipalityCode,
    referencePrefix,
    status,
    lastError,
    settings,
    createdAt,
    updatedAt,
  };
}
