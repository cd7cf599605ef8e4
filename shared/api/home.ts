/** Positive balance = owed by the tenant (arrears), negative = credit (db/repositories/ledger.ts). */
export type BalanceState = 'due' | 'settled' | 'credit';

export interface MoneyDto {
  /** Integer minor units (cents, öre). */
  amount: number;
  currency: string;
}

export interface HomeBalanceDto extends MoneyDto {
  state: BalanceState;
}

export interface HomeUnpaidInvoicesDto {
  count: number;
  total: number;
  currency: string;
}

export interface HomeNoticeDto {
  id: string;
  title: string;
  category: 'general' | 'maintenance' | 'cleaning' | 'event' | 'safety' | 'house_rules';
  pinned: boolean;
  important: boolean;
  publishAt: string;
}

/** `GET /api/home` — the start page (issue 3 item 10). */
export interface HomeResponse {
  /** Sum over the user's current contracts; null without contracts. One currency per deployment in practice; the first when mixed. */
  balance: HomeBalanceDto | null;
  /** The same sum per currency, for the rare EUR+SEK customer. */
  balances: HomeBalanceDto[];
  /** One entry per currency with open invoices. */
  unpaidInvoices: HomeUnpaidInvoicesDto[];
  /** The requests list's tickets (filed by the user or on their contracts) that are not closed. */
  openRequests: number;
  /** Documents not yet opened by the user. */
  newDocuments: number;
  /** The three newest current notices of their buildings and estates, pinned first. */
  notices: HomeNoticeDto[];
  /**
   * The app icon badge (Badging API): requests with an unread staff reply + unopened documents +
   * unread important notices; the same count a push carries as `app_badge` (server/notify/badge.ts).
   */
  appBadge: number;
}

export interface OwnedUnitDto {
  id: string;
  number: string;
  kind: 'flat' | 'commercial' | 'parking' | 'storage';
  floor: number | null;
  areaSqm: number | null;
  building: { id: string; street: string; houseNumber: string; postalCode: string; city: string };
  /** Miteigentumsanteil in parts per thousand. */
  sharePerMille: number | null;
}

/** `GET /api/owner/units` — `{ units: [] }` for someone who owns nothing. */
export interface OwnedUnitsResponse {
  units: OwnedUnitDto[];
}

export interface ContactPersonDto {
  role: 'account_manager' | 'caretaker' | 'technician' | 'service_centre';
  name: string;
  email: string | null;
  phone: string | null;
  hours: string | null;
}

export interface BuildingContactsDto {
  buildingId: string;
  address: string;
  contacts: ContactPersonDto[];
}

/** `GET /api/contacts` (seed 000 "Ansprechpartner"). */
export interface ContactsResponse {
  buildings: BuildingContactsDto[];
}
