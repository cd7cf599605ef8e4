import type {
  ContractDetailResponse,
  ContractLedgerResponse,
  ContractsListResponse,
} from '../../../shared/api/contracts.ts';
import type { OwnedUnitsResponse } from '../../../shared/api/home.ts';
import { Resource } from '../../lib/resource.svelte.ts';

const path = (id: string) => `/contracts/${encodeURIComponent(id)}`;

/** "Meine Verträge" (seed 000): the list, one contract in detail and its rent account. */
class ContractsState {
  // Resource.cached: readable offline from the service worker's last known copy (issue 6 item 6).
  list = Resource.cached<ContractsListResponse>(() => '/contracts');
  /** Seed 003: owners see their units beside (or instead of) contracts. */
  ownedUnits = Resource.cached<OwnedUnitsResponse>(() => '/owner/units');
  currentId = $state<string | null>(null);
  detail = Resource.cached<ContractDetailResponse>(() => path(this.currentId ?? ''));
  ledger = Resource.cached<ContractLedgerResponse>(() => `${path(this.currentId ?? '')}/ledger`);

  /** Shows contract `id`; a different contract first clears the previous one's data. */
  open(id: string): void {
    if (id !== this.currentId) {
      this.detail.reset();
      this.ledger.reset();
      this.currentId = id;
    }
    void this.detail.load();
    void this.ledger.load();
  }
}

export const contracts = new ContractsState();
