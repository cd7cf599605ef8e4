import type {
  DocumentDto,
  DocumentListResponse,
  DocumentType,
  DocumentTypesResponse,
} from '../../../shared/api/documents.ts';
import { Resource } from '../../lib/resource.svelte.ts';

/** "Dokumente für Sie" (seeds 000, 001, 002): newest first, filtered by type, unread marked. */
class DocumentsState {
  /** Null = all types. */
  type = $state<DocumentType | null>(null);
  // Resource.cached: readable offline from the service worker's last known copy (issue 6 item 6).
  list = Resource.cached<DocumentListResponse>(() =>
    this.type ? `/documents?type=${encodeURIComponent(this.type)}` : '/documents',
  );
  types = Resource.cached<DocumentTypesResponse>(() => '/documents/types');

  load(): void {
    void this.types.load();
    void this.list.load();
  }

  filter(type: DocumentType | null): void {
    this.type = type;
    void this.list.load();
  }

  /** The server records the first opening when the file is fetched; the list reflects it at once. */
  markOpened(document: DocumentDto): void {
    if (document.read) return;
    document.read = true;
    document.firstOpenedAt = new Date().toISOString();
  }
}

export const documents = new DocumentsState();
