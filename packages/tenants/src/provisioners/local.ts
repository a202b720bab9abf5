import { localDatabaseUrl } from '@wijkteams/db';
import { createNodeClient, tuneEmbedded } from '@wijkteams/db/node';
import type { DatabaseProvisioner } from '../provision.ts';

/** Tenant databases as embedded libSQL files under `<dataDir>/tenants/`. */
export function localProvisioner(dataDir: string): DatabaseProvisioner {
  return {
    async create(slug) {
      const url = localDatabaseUrl(`tenants/${slug}`);
      const client = createNodeClient({ url }, { dataDir, create: true });
      try {
        await tuneEmbedded(client);
      } finally {
        client.close();
      }
      return url;
    },
    open: (url) => createNodeClient({ url }, { dataDir }),
  };
}
