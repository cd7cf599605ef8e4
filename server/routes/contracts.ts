import { Hono } from 'hono';
import {
  type ContractDetailResponse,
  type ContractLedgerResponse,
  type ContractsListResponse,
} from '../../shared/api/contracts.ts';
import { requireUser } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { pdfResponse } from '../lib/pdf-download.ts';
import {
  getMyContract,
  getMyContractLedger,
  listMyContracts,
  openSignedContract,
} from '../services/contracts.ts';

/** `/api/contracts`: the customer's contracts, their rent account and the signed contract. */
export const contracts = new Hono<AppEnv>()
  .use(requireUser)
  .get('/', async (c) =>
    c.json({
      contracts: await listMyContracts(c.get('deps'), c.get('user')),
    } satisfies ContractsListResponse),
  )
  .get('/:id', async (c) =>
    c.json({
      contract: await getMyContract(c.get('deps'), c.get('user'), c.req.param('id')),
    } satisfies ContractDetailResponse),
  )
  .get('/:id/ledger', async (c) =>
    c.json(
      (await getMyContractLedger(
        c.get('deps'),
        c.get('user'),
        c.req.param('id'),
      )) satisfies ContractLedgerResponse,
    ),
  )
  .get('/:id/signed.pdf', async (c) =>
    pdfResponse(await openSignedContract(c.get('deps'), c.get('user'), c.req.param('id'))),
  );
