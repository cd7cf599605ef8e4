import type {
  ContractKind,
  ContractPartyRole,
  LedgerEntryKind,
  RentComponentKind,
} from '../../shared/api/contracts.ts';
import type { DocumentType } from '../../shared/api/documents.ts';
import type { ContactPersonDto, OwnedUnitDto } from '../../shared/api/home.ts';
import type { InvoiceStatus } from '../../shared/api/invoices.ts';
import type { NotificationCategory, NotificationChannel } from '../../shared/api/profile.ts';
import type { LinkedTicketDto } from '../../shared/api/contracts.ts';
import { m } from '../../shared/i18n/paraglide/messages.js';

/** Enum values from the API → their text in the current language (read at render time). */

export const contractKindLabel: Record<ContractKind, () => string> = {
  residential: m.contract_kind_residential,
  commercial: m.contract_kind_commercial,
  parking: m.contract_kind_parking,
  cooperative: m.contract_kind_cooperative,
};

export const partyRoleLabel: Record<ContractPartyRole, () => string> = {
  main_tenant: m.party_role_main_tenant,
  co_tenant: m.party_role_co_tenant,
  household_member: m.party_role_household_member,
  guarantor: m.party_role_guarantor,
};

export const rentComponentLabel: Record<RentComponentKind | 'other', () => string> = {
  net_rent: m.rent_component_net_rent,
  service_charge_advance: m.rent_component_service_charge_advance,
  heating_advance: m.rent_component_heating_advance,
  surcharge: m.rent_component_surcharge,
  parking: m.rent_component_parking,
  vat: m.rent_component_vat,
  other: m.rent_component_other,
};

/** The landlord's own label wins ("Zuschlag Einbauküche"); otherwise the kind in the UI language. */
export const lineLabel = (line: { kind: RentComponentKind | 'other'; label: string | null }) =>
  line.label ?? rentComponentLabel[line.kind]();

export const ledgerKindLabel: Record<LedgerEntryKind, () => string> = {
  charge: m.ledger_kind_charge,
  payment: m.ledger_kind_payment,
  credit: m.ledger_kind_credit,
  adjustment: m.ledger_kind_adjustment,
};

export const unitKindLabel: Record<OwnedUnitDto['kind'], () => string> = {
  flat: m.unit_kind_flat,
  commercial: m.unit_kind_commercial,
  parking: m.unit_kind_parking,
  storage: m.unit_kind_storage,
};

export const ticketStatusLabel: Record<LinkedTicketDto['status'], () => string> = {
  new: m.ticket_status_new,
  in_progress: m.ticket_status_in_progress,
  waiting_tenant: m.ticket_status_waiting_tenant,
  resolved: m.ticket_status_resolved,
  closed: m.ticket_status_closed,
};

export const invoiceStatusLabel: Record<InvoiceStatus, () => string> = {
  unpaid: m.invoice_status_unpaid,
  overdue: m.invoice_status_overdue,
  paid: m.invoice_status_paid,
};

export const documentTypeLabel: Record<DocumentType, () => string> = {
  operating_cost_statement: m.document_type_operating_cost_statement,
  contract: m.document_type_contract,
  letter: m.document_type_letter,
  house_rules: m.document_type_house_rules,
  rent_change: m.document_type_rent_change,
  certificate: m.document_type_certificate,
  owner_statement: m.document_type_owner_statement,
  minutes: m.document_type_minutes,
  economic_plan: m.document_type_economic_plan,
  owners_meeting_invitation: m.document_type_owners_meeting_invitation,
  other: m.document_type_other,
};

export const contactRoleLabel: Record<ContactPersonDto['role'], () => string> = {
  account_manager: m.contact_role_account_manager,
  caretaker: m.contact_role_caretaker,
  technician: m.contact_role_technician,
  service_centre: m.contact_role_service_centre,
};

export const notificationCategoryLabel: Record<NotificationCategory, () => string> = {
  documents: m.notification_category_documents,
  ticket_replies: m.notification_category_ticket_replies,
  notices: m.notification_category_notices,
  incidents: m.notification_category_incidents,
};

export const notificationChannelLabel: Record<NotificationChannel, () => string> = {
  email: m.notification_channel_email,
  push: m.notification_channel_push,
  sms: m.notification_channel_sms,
  post: m.notification_channel_post,
};

/** Floor 0 = ground floor, negative = basement (ContractObjectDto). */
export function floorLabel(floor: number): string {
  if (floor === 0) return m.floor_ground();
  if (floor < 0) return m.floor_basement({ level: String(-floor) });
  return m.floor_upper({ level: String(floor) });
}
