import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of a drizzle-kit migration history (`db/<name>`), found from the sources (`db/`) and
 * from the build (`dist/db/`) alike: the nearest ancestor holding `db/<name>/meta`.
 */
export function migrationsFolder(name = 'migrations'): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'db', name);
    if (existsSync(join(candidate, 'meta'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`db/${name} not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}
