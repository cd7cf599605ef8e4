import type { Deps } from '../../server/deps.ts';

/** Placeholder until the demo data lands. */
export async function seedDemo(_deps: Deps): Promise<void> {}
