import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { requireUser } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { forbidden } from '../lib/http-error.ts';
import { getHome } from '../services/home.ts';
import type { HomeResponse } from '../../shared/api/home.ts';

/**
 * Customer-only routes: staff have no person scope of their own here (they use the console and
 * "view as tenant"), so they get 403 `forbidden`. Use after `requireUser`.
 */
export const requireCustomer = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get('user')?.role !== 'customer') throw forbidden();
  await next();
});

/** `GET /api/home`: the start page summary. */
export const home = new Hono<AppEnv>()
  .use(requireUser, requireCustomer)
  .get('/', (c) => c.json(getHome(c.get('deps'), c.get('user')) satisfies HomeResponse));
