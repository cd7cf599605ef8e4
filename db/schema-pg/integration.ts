// Generated from db/schema/integration.ts by scripts/schema-pg.ts: edit that file, then run
// `npm run db:generate:pg`.
import { boolean, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { bytea, createdAt, id, json, timestamp } from './columns.ts';
import { users } from './accounts.ts';

import type { ApiKeyScope } from '../../shared/api/integration.ts';

/**
 * Keys for machines (the landlord's ERP), API.md "Integration". The key is `<id>.<secret>` like a
 * session token; only SHA-256 of the secret is kept, so a leaked database yields no working key.
 */
export const apiKeys = pgTable('api_keys', {
  id: id(),
  name: text().notNull(),
  scopes: json<ApiKeyScope[]>().notNull(),
  secretHash: bytea().notNull(),
  createdByUserId: text().references(() => users.id),
  createdAt: createdAt(),
  lastUsedAt: timestamp(),
  /** Revoked keys stay for the audit trail and answer 401 at once. */
  revokedAt: timestamp(),
});

/** One load from the ERP: who, when, how, what it counted and what it refused. */
export const importRuns = pgTable(
  'import_runs',
  {
    id: id(),
    source: text({ enum: ['api', 'file', 'console'] }).notNull(),
    mode: text({ enum: ['delta', 'full'] }).notNull(),
    dryRun: boolean().notNull(),
    /** `failed`: the load stopped on an error of the machine (nothing of it was stored). */
    status: text({ enum: ['applied', 'checked', 'refused', 'failed'] }).notNull(),
    apiKeyId: text().references(() => apiKeys.id),
    userId: text().references(() => users.id),
    /** A file name or workbook, for loads from files. */
    label: text(),
    startedAt: timestamp().notNull(),
    finishedAt: timestamp().notNull(),
    counts: json<Record<string, { created: number; updated: number; unchanged: number; ended: number }>>(),
    problemCount: integer().notNull().default(0),
    /** The first problems (capped), as the load's answer listed them. */
    problems: json<unknown[]>(),
    /** People this load brought in (created): "letters for everyone new since load N" (issue 14 item 7). */
    createdPersonIds: json<string[]>(),
  },
  (t) => [index('import_runs_started_idx').on(t.startedAt)],
);
