import { Hono } from 'hono';
import type { AppEnv } from '../lib/context.ts';

export const health = new Hono<AppEnv>().get('/', (c) => c.json({ ok: true }));
