import { Hono } from 'hono';
import { requireCustomer, requireUser } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { getHome } from '../services/home.ts';
import type { HomeResponse } from '../../shared/api/home.ts';

/** `GET /api/home`: the start page summary. */
export const home = new Hono<AppEnv>()
  .use(requireUser, requireCustomer)
  .get('/', async (c) => c.json((await getHome(c.get('deps'), c.get('user'))) satisfies HomeResponse));
