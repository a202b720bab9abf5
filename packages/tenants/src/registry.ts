import { type ControlDb, type Tenant, tenants } from '@wijkteams/db';
import { asc, eq } from 'drizzle-orm';

/** Lowercase letters, digits and dashes, as in a URL path segment: `zeist`, `sudwest-fryslan`. */
export const TENANT_SLUG_PATTERN = /^[a-z][a-z0-9-]{1,39}$/;
export const MUNICIPALITY_CODE_PATTERN = /^GM\d{4}$/;

export function listTenants(control: ControlDb): Promise<Tenant[]> {
  return control.select().from(tenants).orderBy(asc(tenants.slug));
}

export async function findTenant(control: ControlDb, slug: string): Promise<Tenant | undefined> {
  if (!TENANT_SLUG_PATTERN.test(slug)) return undefined;
  const [tenant] = await control.select().from(tenants).where(eq(tenants.slug, slug)).limit(1);
  return tenant;
}
