import { Hono } from 'hono';
import { contractorCreate, contractorPatch, contractorPickerQuery } from '../../shared/api/contractors.ts';
import { requireAdmin, requireStaff } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody, parseWith } from '../lib/validate.ts';
import {
  changeContractor,
  createContractor,
  getContractorForAdmin,
  listContractorsForAdmin,
  listContractorsForStaff,
  removeContractor,
} from '../services/contractors.ts';

/** /staff/admin/contractors: the directory, admins only (staff 403 `forbidden`, no session 401). */
export const staffAdminContractors = new Hono<AppEnv>()
  .use(requireAdmin)
  .get('/', async (c) => c.json(await listContractorsForAdmin(c.get('deps'))))
  .post('/', jsonBody(contractorCreate), async (c) =>
    c.json({ contractor: await createContractor(c.get('deps'), c.get('user'), c.get('body')) }, 201),
  )
  .get('/:id', async (c) =>
    c.json({ contractor: await getContractorForAdmin(c.get('deps'), c.req.param('id')) }),
  )
  .patch('/:id', jsonBody(contractorPatch), async (c) =>
    c.json({
      contractor: await changeContractor(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')),
    }),
  )
  // 204 when deleted; 200 with the deactivated contractor when a job link still names it.
  .delete('/:id', async (c) => {
    const outcome = await removeContractor(c.get('deps'), c.get('user'), c.req.param('id'));
    return outcome.deleted ? c.body(null, 204) : c.json({ contractor: outcome.contractor });
  });

/** /staff/contractors?building=&trade=: the dispatch picker, staff and admins. */
export const staffContractors = new Hono<AppEnv>()
  .use(requireStaff)
  .get('/', async (c) =>
    c.json(
      await listContractorsForStaff(
        c.get('deps'),
        c.get('user'),
        parseWith(contractorPickerQuery, c.req.query()),
      ),
    ),
  );
