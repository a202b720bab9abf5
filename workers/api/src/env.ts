import { z } from 'zod';

/** The Worker's bindings and variables, parsed once per isolate. */
export const EnvSchema = z.object({
  /** `libsql://control-<org>.turso.io` in production; the local gateway's `…/control/` locally. */
  CONTROL_DB_URL: z.url(),
  CONTROL_DB_AUTH_TOKEN: z.string().min(1).optional(),
  /** A Turso group token that opens every tenant database of the group. */
  TENANT_DB_AUTH_TOKEN: z.string().min(1).optional(),
  /** Local development only: the Hrana endpoint that serves `file:` databases of the data folder. */
  LOCAL_LIBSQL_GATEWAY: z.url().optional(),
  PLATFORM_ADMIN_KEY: z.string().min(24).optional(),
  DB_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3_000),
  TENANT_CACHE_TTL_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
});

export type Env = z.infer<typeof EnvSchema>;

const parsed = new WeakMap<object, Env>();

export function parseEnv(bindings: object): Env {
  let env = parsed.get(bindings);
  if (!env) {
    env = EnvSchema.parse(bindings);
    parsed.set(bindings, env);
  }
  return env;
}
