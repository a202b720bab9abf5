import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'turso',
  schema: './packages/db/src/schema/tenant/index.ts',
  out: './migrations/tenant',
});
