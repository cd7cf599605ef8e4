import {
  insertContractor,
  replaceContractorBuildings,
  replaceContractorTrades,
} from '../../db/repositories/contractors.ts';
import type { Tx } from '../../db/transaction.ts';
import type { ContractorLanguage, ContractorTrade } from '../../shared/api/contractors.ts';
import type { SeedContext } from './context.ts';
import { findBuilding, type EstatePlan } from './estates.ts';
import { createIdSource } from './random.ts';

/**
 * The demo's contractor directory (issue 20): a plumber and an electrician for the Berlin houses
 * and a plumber for Malmö, so a dripping tap in Musterstraße 1 can be dispatched at once. Their
 * ids come from a stream of their own: adding them shifts no other demo id.
 */
export interface DemoContractor {
  id: string;
  name: string;
  contactPerson: string;
  phone: string;
  email: string;
  language: ContractorLanguage;
  trades: ContractorTrade[];
  buildingIds: string[];
}

const contractorIdSeed = 2020;

export function planContractors(estates: EstatePlan): DemoContractor[] {
  const nextId = createIdSource(contractorIdSeed);
  const berlin = ['1', '3', '5'].map((house) => findBuilding(estates, house).row.id);
  const malmo = findBuilding(estates, '6', 'Malmö').row.id;
  return [
    {
      id: nextId(),
      name: 'Sprudel Sanitär GmbH',
      contactPerson: 'Klara Sprudel',
      phone: '+49 30 1234567',
      email: 'auftrag@sprudel-sanitaer.example',
      language: 'de',
      trades: ['plumbing', 'heating'],
      buildingIds: berlin,
    },
    {
      id: nextId(),
      name: 'Elektro Blitz KG',
      contactPerson: 'Erna Blitz',
      phone: '+49 30 7654321',
      email: 'service@elektro-blitz.example',
      language: 'de',
      trades: ['electrical'],
      buildingIds: berlin,
    },
    {
      id: nextId(),
      name: 'Malmö Rör AB',
      contactPerson: 'Sven Rör',
      phone: '+46 40 123456',
      email: 'order@malmo-ror.example',
      language: 'sv',
      trades: ['plumbing'],
      buildingIds: [malmo],
    },
  ];
}

export async function insertDemoContractors(
  tx: Tx,
  context: SeedContext,
  contractors: readonly DemoContractor[],
): Promise<void> {
  for (const contractor of contractors) {
    await insertContractor(tx, {
      id: contractor.id,
      name: contractor.name,
      contactPerson: contractor.contactPerson,
      phone: contractor.phone,
      email: contractor.email,
      language: contractor.language,
      active: true,
      createdAt: context.now,
      updatedAt: context.now,
    });
    await replaceContractorTrades(tx, contractor.id, contractor.trades);
    await replaceContractorBuildings(tx, contractor.id, contractor.buildingIds);
  }
}
