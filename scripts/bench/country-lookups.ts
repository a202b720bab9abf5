/** One lookup path per tenant: a postcode in one of its own PC4 areas, for the whole-country benches. */
import { createNodeClient } from '../../packages/db/src/client/node.ts';
import { municipalityByCode } from '../../packages/lookup/src/cbs/municipalities.ts';
import { pc4AreasOf } from '../../packages/lookup/src/cbs/pc4.ts';

export interface TenantLookup {
  slug: string;
  path: string;
}

export async function tenantLookups(dataDir: string): Promise<TenantLookup[]> {
  const control = createNodeClient({ url: 'file:control.db' }, { dataDir });
  try {
    const { rows } = await control.execute(
      "SELECT slug, municipality_code FROM tenants WHERE status = 'active' ORDER BY slug",
    );
    return rows.flatMap((row) => {
      const name = municipalityByCode(String(row.municipality_code))?.name;
      const pc4 = name ? pc4AreasOf(name)[0]?.pc4 : undefined;
      return pc4 ? [{ slug: String(row.slug), path: `/v1/${String(row.slug)}/postcodes/${pc4}AB` }] : [];
    });
  } finally {
    control.close();
  }
}
