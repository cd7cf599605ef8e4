import { defineConfig } from 'drizzle-kit';

// PostgreSQL's schema and migration history, beside SQLite's (drizzle.config.ts). The schema is
// generated from SQLite's (scripts/schema-pg.ts); `npm run db:generate:pg` runs both steps.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema-pg/index.ts',
  out: './db/migrations-pg',
  casing: 'snake_case',
});
