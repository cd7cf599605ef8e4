import type {
  ContractDetailResponse,
  ContractLedgerResponse,
  ContractsListResponse,
} from '../../../shared/api/contracts.ts';
import type { OwnedUnitsResponse } from '../../../shared/api/home.ts';
import { api } from '../../lib/api.ts';
import { Resource } from '../../lib/resource.svelte.ts';

const path = (id: string) => `/contracts/${encodeURIComponent(id)}`;

/** "Meine Verträge" (seed 000): the list, one contract in detail and its rent account. */
class ContractsState {
  list = new Resource(() => api.get<ContractsListResponse>('/contracts'));
  /** Seed 003: owners see their units beside (or instead of) contracts. */
  ownedUnits = new Resource(() => api.get<OwnedUnitsResponse>('/owner/units'));
  currentId = $state<string | null>(null);
  detail = new Resource(() => api.get<ContractDetailResponse>(path(this.currentId ?? '')));
  ledger = new Resource(() => api.get<ContractLedgerResponse>(`${path(this.currentId ?? '')}/ledger`));

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
