import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Secrets `npm start` generated into the data folder, unless the environment sets them. */
export function secretsFromDataDir(dataDir: string, env: Record<string, string | undefined>) {
  const read = (name: string) => {
    const file = join(dataDir, name);
    return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
  };
  return {
    PLATFORM_ADMIN_KEY: env.PLATFORM_ADMIN_KEY ?? read('platform-admin-key'),
    REQUEST_ENCRYPTION_SECRET: env.REQUEST_ENCRYPTION_SECRET ?? read('request-encryption-secret'),
  };
}
