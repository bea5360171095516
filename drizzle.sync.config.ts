// The sync server's PostgreSQL schema (the laptop's SQLite log has drizzle.config.ts).
// Run: npx drizzle-kit generate --config drizzle.sync.config.ts
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './db/sync/server/schema.ts',
  out: './db/sync/server/migrations',
});
