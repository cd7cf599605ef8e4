import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The directories of PATH, in order. */
export const pathDirs = (): string[] => (process.env.PATH ?? '').split(delimiter).filter(Boolean);

/** An executable in the first of `dirs` that has it; undefined if none. */
export function findExecutableIn(name: string, dirs: string[]): string | undefined {
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** An executable on PATH or in the given directories (first match wins); undefined if none. */
export const findExecutable = (name: string, extraDirs: string[] = []): string | undefined =>
  findExecutableIn(name, [...pathDirs(), ...extraDirs]);

/** Debian's PostgreSQL binaries live outside PATH: /usr/lib/postgresql/<major>/bin, newest first. */
export function debianPostgresBinDirs(): string[] {
  try {
    return readdirSync('/usr/lib/postgresql')
      .filter((major) => /^\d+$/.test(major))
      .sort((a, b) => Number(b) - Number(a))
      .map((major) => join('/usr/lib/postgresql', major, 'bin'));
  } catch {
    return [];
  }
}
