import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { Deps } from '../../server/deps.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, type DemoLogin } from '../../server/demo/demo-constants.ts';
import { createTestWorld } from './context.ts';
import { loginAs } from './auth.ts';

export interface StaffWorldOptions {
  /** Runs before the app is built, e.g. to put in a controllable clock. */
  configure?: (deps: Deps) => void;
}

/**
 * The usual world of a staff integration test, registered as hooks of the calling (async) `describe`:
 * a fresh database on the run's store with the demo seed, the app, and a session cookie for each of
 * `actors` (in `session`, filled before the first test). Closed after the suite; hooks registered
 * later by the caller run before that close (vitest runs after-hooks in reverse order).
 */
export async function staffWorld(actors: readonly DemoLogin[], options: StaffWorldOptions = {}) {
  const ctx = await createTestWorld();
  options.configure?.(ctx.deps);
  const app = createApp(ctx.deps);
  const session: Record<string, string> = {};
  afterAll(() => ctx.close());
  beforeAll(async () => {
    await seedDemo(ctx.deps);
    for (const who of actors) session[who] = await loginAs(app, DEMO_LOGINS[who], DEMO_PASSWORD);
  });
  return { ctx, app, db: ctx.deps.db, session };
}
