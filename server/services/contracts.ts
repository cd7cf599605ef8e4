import {
  findContractById,
  listContractsByIds,
  listPartyNamesOfContract,
  listRentComponentsOfContractsValidOn,
  listRentHistory,
  listTicketsLinkedToContract,
  listUnitsOfContract,
  listUnitsOfContracts,
  type Contract,
  type PartyName,
  type RentComponent,
} from '../../db/repositories/contracts.ts';
import { findFileById } from '../../db/repositories/files.ts';
import {
  listLedgerWithRunningBalance,
  rentAccountBalance,
  rentAccountBalancesOf,
} from '../../db/repositories/ledger.ts';
import type { DbOrTx } from '../../db/transaction.ts';
import { inReadSnapshot } from '../../db/prepared.ts';
import { subjectFor } from '../../shared/ticket-subject.ts';
import type {
  BalanceState,
  ContractDetailDto,
  ContractLedgerResponse,
  ContractObjectDto,
  ContractSummaryDto,
  DirectDebitMandateDto,
  RentAccountBalanceDto,
  RentComponentDto,
  RentPeriodDto,
} from '../../shared/api/contracts.ts';
import { resourceIdPattern } from '../../shared/api/contracts.ts';
import type { Deps } from '../deps.ts';
import type { SessionUser } from '../lib/context.ts';
import { forbidden, notFound } from '../lib/http-error.ts';
import { assertCanSeeContract, loadCustomerScope, type CustomerScope } from './access.ts';
import { schemeOf, shortMaskedAccount } from './invoice-payment.ts';
import { residenceConfirmationEnabled } from './landlord.ts';
import type { PdfDownload } from '../lib/pdf-download.ts';

/**
 * The customer's scope for the tenant routes. Staff and admins have their own `/staff/...` views,
 * so they get 403 here instead of an empty page that looks like missing data.
 */
export async function customerScopeOf(
  deps: Deps,
  user: SessionUser,
): Promise<{ scope: CustomerScope; today: string }> {
  if (user.role !== 'customer') throw forbidden();
  const scope = await loadCustomerScope(deps, user);
  return { scope, today: scope.today };
}

/** Looks up a contract of the customer; malformed, missing and foreign ids all answer 404 alike. */
export async function loadVisibleContract(
  db: DbOrTx,
  scope: CustomerScope,
  contractId: string,
): Promise<Contract> {
  if (!resourceIdPattern.test(contractId)) throw notFound();
  assertCanSeeContract(scope, contractId);
  const contract = await findContractById(db, contractId);
  if (!contract) throw notFound();
  return contract;
}

export function balanceOf(amount: number, currency: string): RentAccountBalanceDto {
  const state: BalanceState = amount > 0 ? 'arrears' : amount < 0 ? 'credit' : 'settled';
  return { amount, currency, state };
}

export function displayNameOf(party: Pick<PartyName, 'firstName' | 'lastName' | 'organisationName'>): string {
  return party.organisationName ?? ([party.firstName, party.lastName].filter(Boolean).join(' ') || '—');
}

export function isValidOn(row: Pick<RentComponent, 'validFrom' | 'validTo'>, isoDate: string): boolean {
  return row.validFrom <= isoDate && (row.validTo === null || row.validTo >= isoDate);
}

/** Fixed order for display: net rent first, advances, extras, VAT last (as on a Mietvertrag). */
const KIND_ORDER = ['net_rent', 'service_charge_advance', 'heating_advance', 'surcharge', 'parking', 'vat'];
export function byKind(a: RentComponent, b: RentComponent): number {
  return (
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.label ?? '').localeCompare(b.label ?? '')
  );
}

const toComponentDto = (row: RentComponent): RentComponentDto => ({
  kind: row.kind,
  label: row.label,
  amount: row.amount,
});
const sum = (rows: readonly { amount: number }[]) => rows.reduce((total, row) => total + row.amount, 0);

function dayBefore(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

/**
 * The rent history of seed 000 as complete compositions: a new period starts wherever any component
 * starts, and each period lists every component valid on its first day. Newest first.
 */
export function rentPeriods(rows: readonly RentComponent[]): RentPeriodDto[] {
  const starts = [...new Set(rows.map((row) => row.validFrom))].sort();
  const periods = starts.map((validFrom, index): RentPeriodDto => {
    const components = rows.filter((row) => isValidOn(row, validFrom)).sort(byKind);
    const next = starts[index + 1];
    const ends = components.map((row) => row.validTo);
    const lastEnd = ends.every((end) => end !== null) && ends.length > 0 ? ends.sort().at(-1)! : null;
    return {
      validFrom,
      validTo: next ? dayBefore(next) : lastEnd,
      components: components.map(toComponentDto),
      total: sum(components),
    };
  });
  return periods.reverse();
}

function objectOf({
  unit,
  building,
}: Awaited<ReturnType<typeof listUnitsOfContract>>[number]): ContractObjectDto {
  return {
    unitId: unit.id,
    unitNumber: unit.number,
    unitKind: unit.kind,
    floor: unit.floor,
    areaSqm: unit.areaSqm,
    rooms: unit.rooms,
    street: building.street,
    houseNumber: building.houseNumber,
    postalCode: building.postalCode,
    city: building.city,
    country: building.country,
  };
}

/** `GET /contracts`: every current contract of the customer in a fixed number of queries. */
export async function listMyContracts(deps: Deps, user: SessionUser): Promise<ContractSummaryDto[]> {
  return await inReadSnapshot(deps.db, async () => {
    const { scope, today } = await customerScopeOf(deps, user);
    const ids = [...scope.contracts.keys()];
    const contracts = await listContractsByIds(deps.db, ids);
    const units = await listUnitsOfContracts(deps.db, ids);
    const components = await listRentComponentsOfContractsValidOn(deps.db, ids, today);
    const balances = await rentAccountBalancesOf(deps.db, ids);
    return contracts.map((contract) => {
      const right = scope.contracts.get(contract.id)!;
      const own = units.filter((row) => row.contractId === contract.id);
      const building = own[0]?.building;
      return {
        id: contract.id,
        number: contract.number,
        kind: contract.kind,
        addressLine: building
          ? `${building.street} ${building.houseNumber}, ${building.postalCode} ${building.city}`
          : '',
        unitNumbers: own.map((row) => row.unit.number),
        startDate: contract.startDate,
        endDate: contract.endDate,
        myRole: right.role as ContractSummaryDto['myRole'],
        myAccess: right.access,
        currentRentTotal: sum(components.filter((row) => row.contractId === contract.id)),
        currency: contract.currency,
        balance: balanceOf(balances.get(contract.id) ?? 0, contract.currency),
      };
    });
  });
}

/** The direct-debit mandate the rent is collected under (SEPA Core, or autogiro for SEK). */
function mandateOf(contract: Contract): DirectDebitMandateDto | null {
  if (contract.paymentMethod !== 'direct_debit') return null;
  const scheme = schemeOf(contract.currency);
  return {
    scheme,
    reference: contract.mandateReference,
    signedOn: contract.mandateSignedOn,
    accountMasked: shortMaskedAccount(contract.ibanMasked),
    accountHolder: contract.accountHolder,
  };
}

/** `GET /contracts/:id`. */
export async function getMyContract(
  deps: Deps,
  user: SessionUser,
  contractId: string,
): Promise<ContractDetailDto> {
  return await inReadSnapshot(deps.db, async () => {
    const { scope, today } = await customerScopeOf(deps, user);
    const contract = await loadVisibleContract(deps.db, scope, contractId);
    const right = scope.contracts.get(contract.id)!;
    const history = await listRentHistory(deps.db, contract.id);
    const current = history.filter((row) => isValidOn(row, today)).sort(byKind);
    const parties = (await listPartyNamesOfContract(deps.db, contract.id)).filter(
      (party) => party.until === null || party.until >= today,
    );
    const shares =
      contract.cooperativeShares && contract.cooperativeShareValue
        ? {
            shareCount: Math.round(contract.cooperativeShares / contract.cooperativeShareValue),
            shareValue: contract.cooperativeShareValue,
            totalValue: contract.cooperativeShares,
          }
        : null;
    const base = `/api/contracts/${contract.id}`;
    return {
      id: contract.id,
      number: contract.number,
      kind: contract.kind,
      startDate: contract.startDate,
      endDate: contract.endDate,
      currency: contract.currency,
      myRole: right.role as ContractDetailDto['myRole'],
      myAccess: right.access,
      objects: (await listUnitsOfContract(deps.db, contract.id)).map(objectOf),
      parties: parties.map((party) => ({
        name: displayNameOf(party),
        role: party.role,
        isMe: party.personId === user.personId,
      })),
      currentRent: {
        validFrom:
          current
            .map((row) => row.validFrom)
            .sort()
            .at(-1) ?? null,
        components: current.map(toComponentDto),
        total: sum(current),
      },
      rentHistory: rentPeriods(history),
      payment: {
        method: contract.paymentMethod,
        ibanMasked: contract.ibanMasked,
        accountHolder: contract.accountHolder,
        mandate: mandateOf(contract),
      },
      deposit: contract.depositAmount,
      cooperativeShares: shares,
      balance: balanceOf(await rentAccountBalance(deps.db, contract.id), contract.currency),
      linkedTickets: (await listTicketsLinkedToContract(deps.db, contract.id)).map((ticket) => ({
        id: ticket.id,
        number: ticket.number,
        subject: subjectFor(ticket, user.language),
        status: ticket.status,
        updatedAt: ticket.lastActivityAt.toISOString(),
      })),
      signedContractUrl: contract.signedFileId ? `${base}/signed.pdf` : null,
      certificates: {
        rent: `${base}/certificates/rent.pdf`,
        residence: (await residenceConfirmationEnabled(deps.db))
          ? `${base}/certificates/residence.pdf`
          : null,
      },
      ledgerUrl: `${base}/ledger`,
    };
  });
}

/** `GET /contracts/:id/ledger`: the rent account, newest first, with running balances. */
export async function getMyContractLedger(
  deps: Deps,
  user: SessionUser,
  contractId: string,
): Promise<ContractLedgerResponse> {
  return await inReadSnapshot(deps.db, async () => {
    const { scope } = await customerScopeOf(deps, user);
    const contract = await loadVisibleContract(deps.db, scope, contractId);
    const entries = await listLedgerWithRunningBalance(deps.db, contract.id);
    const balance = entries[0]?.balanceAfter ?? 0;
    return {
      entries,
      balance,
      currency: contract.currency,
      state: balanceOf(balance, contract.currency).state,
    };
  });
}

/** `GET /contracts/:id/signed.pdf` (seed 004: the digitally signed contract). 404 when none exists. */
export async function openSignedContract(
  deps: Deps,
  user: SessionUser,
  contractId: string,
): Promise<PdfDownload> {
  const { scope } = await customerScopeOf(deps, user);
  const contract = await loadVisibleContract(deps.db, scope, contractId);
  const file = contract.signedFileId ? await findFileById(deps.db, contract.signedFileId) : undefined;
  if (!file || file.mime !== 'application/pdf') throw notFound();
  return { bytes: await deps.files.read(file.sha256), fileName: `contract-${contract.number}.pdf` };
}

/** Printed names of rent components without a landlord label (invoice lines, certificates). */
const COMPONENT_NAMES: Record<'de' | 'en' | 'sv', Record<RentComponent['kind'], string>> = {
  de: {
    net_rent: 'Nettokaltmiete',
    service_charge_advance: 'Betriebskostenvorauszahlung',
    heating_advance: 'Heizkostenvorauszahlung',
    surcharge: 'Zuschlag',
    parking: 'Stellplatz',
    vat: 'Umsatzsteuer',
  },
  en: {
    net_rent: 'Net rent',
    service_charge_advance: 'Service charge advance',
    heating_advance: 'Heating cost advance',
    surcharge: 'Surcharge',
    parking: 'Parking space',
    vat: 'VAT',
  },
  sv: {
    net_rent: 'Bashyra',
    service_charge_advance: 'Driftkostnader (a conto)',
    heating_advance: 'Värme (a conto)',
    surcharge: 'Tillägg',
    parking: 'Parkeringsplats',
    vat: 'Moms',
  },
};

export function componentLabel(
  row: Pick<RentComponent, 'kind' | 'label'>,
  locale: 'de' | 'en' | 'sv',
): string {
  return row.label ?? COMPONENT_NAMES[locale][row.kind];
}
