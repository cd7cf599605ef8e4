// The global setup of the vitest project "postgres" (vitest.config.ts): starts the run's one
// PostgreSQL cluster, migrates the template every test database is copied from, and stops the
// cluster when the run ends.
import type { TestProject } from 'vitest/node';
import { openPostgres } from '../../db/client-pg.ts';
import { startPgServer } from './pg-server.ts';
import { templateDatabase } from './pg-template.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPgServer(templateDatabase);
  try {
    const template = await openPostgres(server.url, { maxConnections: 1 });
    await template.close();
  } catch (error) {
    await server.stop();
    throw error;
  }
  project.provide('pgTemplateUrl', server.url);
  return () => server.stop();
}
