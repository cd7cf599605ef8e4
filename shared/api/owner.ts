import type { LedgerEntryDto } from './contracts.ts';
import type { DocumentDto } from './documents.ts';
import type { HomeBalanceDto, MoneyDto, OwnedUnitDto } from './home.ts';

/** One unit a person owns in a WEG the landlord manages (seed 003), with their owner's account. */
export interface OwnershipDto {
  id: string;
  unit: OwnedUnitDto;
  /** ISO date the ownership began; null when the ERP did not say. */
  since: string | null;
  /** The monthly Hausgeld advance in force today (economic plan); null when none is on file. */
  monthlyAdvance: MoneyDto | null;
  /** The owner's account (Hausgeldkonto): positive = owed by the owner, negative = credit. */
  balance: HomeBalanceDto;
}

/** `GET /api/owner/ownerships` — `{ ownerships: [], rents }` for someone who owns nothing. */
export interface OwnershipListResponse {
  ownerships: OwnershipDto[];
  /** Whether the person also rents (a current contract): the app then keeps contracts and invoices. */
  rents: boolean;
}

/** `GET /api/owner/ownerships/:id` — one ownership and its account, newest entry first. */
export interface OwnershipAccountResponse {
  ownership: OwnershipDto;
  /** Signed from the owner's view: advances > 0, payments < 0; `balanceAfter` is the running balance. */
  entries: LedgerEntryDto[];
}

/** `GET /api/owner/documents` — the WEG's documents for owners and the owner's own, newest first. */
export interface OwnerDocumentsResponse {
  documents: DocumentDto[];
}
