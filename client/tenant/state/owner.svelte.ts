import type { DocumentDto } from '../../../shared/api/documents.ts';
import type {
  OwnerDocumentsResponse,
  OwnershipAccountResponse,
  OwnershipListResponse,
} from '../../../shared/api/owner.ts';
import { Resource } from '../../lib/resource.svelte.ts';

/** What the navigation adapts to: someone who owns and rents sees both sides. */
export interface CustomerSides {
  owns: boolean;
  rents: boolean;
}

const ownershipPath = (id: string) => `/owner/ownerships/${encodeURIComponent(id)}`;

/** "Mein Eigentum" (seed 003, WEG owners): the ownerships, one owner's account, the WEG's documents. */
class PropertyState {
  // Resource.cached: readable offline from the service worker's last known copy (issue 6 item 6).
  portfolio = Resource.cached<OwnershipListResponse>(() => '/owner/ownerships');
  documents = Resource.cached<OwnerDocumentsResponse>(() => '/owner/documents');
  currentId = $state<string | null>(null);
  account = Resource.cached<OwnershipAccountResponse>(() => ownershipPath(this.currentId ?? ''));

  /** Null until known: the navigation keeps its tenant entries meanwhile. */
  sides = $derived<CustomerSides | null>(
    this.portfolio.data
      ? { owns: this.portfolio.data.ownerships.length > 0, rents: this.portfolio.data.rents }
      : null,
  );

  #userId: string | null = null;

  /** Loads the ownerships for the signed-in customer; another user first forgets the previous one's. */
  loadFor(userId: string | null): void {
    if (userId !== this.#userId) {
      this.portfolio.reset();
      this.documents.reset();
      this.account.reset();
      this.currentId = null;
      this.#userId = userId;
    }
    if (userId !== null) void this.portfolio.load();
  }

  /** The PDF was opened: the server records the first opening, the list shows it at once. */
  markOpened(document: DocumentDto): void {
    if (document.read) return;
    document.read = true;
    document.firstOpenedAt = new Date().toISOString();
  }

  /** Shows ownership `id`; a different one first clears the previous one's account. */
  open(id: string): void {
    if (id !== this.currentId) {
      this.account.reset();
      this.currentId = id;
    }
    void this.account.load();
  }
}

export const property = new PropertyState();
