import {
  listPartyNamesOfContract,
  listRentComponentsValidOn,
  listUnitsOfContract,
} from '../../db/repositories/contracts.ts';
import type { Locale } from '../../shared/api/auth.ts';
import type { Deps } from '../deps.ts';
import type { SessionUser } from '../lib/context.ts';
import { HttpError } from '../lib/http-error.ts';
import {
  renderRentCertificatePdf,
  renderResidenceConfirmationPdf,
  type FlatAddress,
} from '../pdf/rent-certificate.ts';
import { byKind, componentLabel, customerScopeOf, displayNameOf, loadVisibleContract } from './contracts.ts';
import { loadLandlordProfile, residenceConfirmationEnabled } from './landlord.ts';
import type { PdfDownload } from '../lib/pdf-download.ts';

/**
 * Self-service certificates (seed 002: "Self-Service-Formular … bereits mit Ihren entsprechenden
 * Daten automatisch gefüllt … z. B. die Mietbescheinigung"). Downloads only, so `read` household
 * members get them too.
 */

const notAvailable = () =>
  new HttpError(404, 'not_available', 'This certificate is not offered for download.');

const FILE_NAMES: Record<Locale, { rent: string; residence: string }> = {
  de: { rent: 'Mietbescheinigung', residence: 'Wohnungsgeberbestaetigung' },
  en: { rent: 'rent-certificate', residence: 'residence-confirmation' },
  sv: { rent: 'hyresintyg', residence: 'bostadsintyg' },
};

async function loadCertificateData(deps: Deps, user: SessionUser, contractId: string) {
  const { scope, today } = await customerScopeOf(deps, user);
  const contract = await loadVisibleContract(deps.db, scope, contractId);
  const [first] = await listUnitsOfContract(deps.db, contract.id);
  if (!first) throw notAvailable();
  const parties = (await listPartyNamesOfContract(deps.db, contract.id)).filter(
    (party) => party.role !== 'guarantor' && (party.until === null || party.until >= today),
  );
  const flat: FlatAddress = {
    street: `${first.building.street} ${first.building.houseNumber}`,
    postalCode: first.building.postalCode,
    city: first.building.city,
    country: first.building.country,
    unitNumber: first.unit.number,
    kind: first.unit.kind,
    floor: first.unit.floor,
    livingAreaSqm: first.unit.areaSqm,
    rooms: first.unit.rooms,
  };
  return { contract, today, parties, flat, landlord: await loadLandlordProfile(deps.db, flat.country) };
}

/** `GET /contracts/:id/certificates/rent.pdf`: tenants, flat and today's rent split. */
export async function renderMyRentCertificate(
  deps: Deps,
  user: SessionUser,
  contractId: string,
  locale: Locale,
): Promise<PdfDownload> {
  const { contract, today, parties, flat, landlord } = await loadCertificateData(deps, user, contractId);
  const components = (await listRentComponentsValidOn(deps.db, contract.id, today)).sort(byKind);
  const amountOf = (kind: string) =>
    components.filter((row) => row.kind === kind).reduce((total, row) => total + row.amount, 0);
  const main = new Set(['net_rent', 'service_charge_advance', 'heating_advance']);
  const tenants = parties.filter((party) => party.role === 'main_tenant' || party.role === 'co_tenant');
  const bytes = await renderRentCertificatePdf({
    locale,
    issuedOn: today,
    landlord,
    tenants: tenants.map(displayNameOf),
    flat,
    contract: { number: contract.number, startDate: contract.startDate },
    rent: {
      currency: contract.currency,
      validFrom:
        components
          .map((row) => row.validFrom)
          .sort()
          .at(-1) ?? today,
      netRent: amountOf('net_rent'),
      serviceChargeAdvance: amountOf('service_charge_advance'),
      heatingAdvance: amountOf('heating_advance'),
      other: components
        .filter((row) => !main.has(row.kind))
        .map((row) => ({ label: componentLabel(row, locale), amount: row.amount })),
    },
  });
  return { bytes, fileName: `${FILE_NAMES[locale].rent}-${contract.number}.pdf` };
}

/**
 * `GET /contracts/:id/certificates/residence.pdf`: the Wohnungsgeberbestätigung of § 19 BMG. Only
 * for dwellings (the Meldegesetz is about where people live) and only when the landlord enabled it;
 * otherwise 404 `not_available`.
 */
export async function renderMyResidenceConfirmation(
  deps: Deps,
  user: SessionUser,
  contractId: string,
  locale: Locale,
): Promise<PdfDownload> {
  const { contract, today, parties, flat, landlord } = await loadCertificateData(deps, user, contractId);
  const dwelling = contract.kind === 'residential' || contract.kind === 'cooperative';
  if (!dwelling || !(await residenceConfirmationEnabled(deps.db))) throw notAvailable();
  const bytes = await renderResidenceConfirmationPdf({
    locale,
    issuedOn: today,
    landlord,
    moveInDate: contract.startDate,
    flat,
    residents: parties.map(displayNameOf),
  });
  return { bytes, fileName: `${FILE_NAMES[locale].residence}-${contract.number}.pdf` };
}
