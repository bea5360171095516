import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './db/log/schema.ts',
  out: './db/log/migrations',
});
