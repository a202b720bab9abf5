import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'turso',
  schema: './packages/db/src/schema/control/index.ts',
  out: './migrations/control',
});
