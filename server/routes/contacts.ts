import { Hono } from 'hono';
import { requireCustomer, requireUser } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { listContacts } from '../services/contacts.ts';
import type { ContactsResponse } from '../../shared/api/home.ts';

/** `GET /api/contacts`: contact persons per house (seed 000). */
export const contacts = new Hono<AppEnv>()
  .use(requireUser, requireCustomer)
  .get('/', async (c) =>
    c.json({ buildings: await listContacts(c.get('deps'), c.get('user')) } satisfies ContactsResponse),
  );
