import type { DocumentType } from '../../../shared/api/documents.ts';
import type {
  BulkPreviewResponse,
  OwnershipOptionDto,
  OwnershipOptionsResponse,
  StaffDocumentDto,
} from '../../../shared/api/staff-documents.ts';
import { api } from '../../lib/api.ts';
import { uploadFile } from '../../lib/upload.ts';
import { PlacesAndListState } from './places-list.svelte.ts';

export type DocumentScopeKind = 'person' | 'contract' | 'building' | 'estate' | 'ownership';

/** Documents in the console (issue 5 item 6): single publishing, bulk with preview, delivery status. */
class StaffDocumentsState extends PlacesAndListState {
  documents = $state<StaffDocumentDto[]>([]);
  preview = $state<BulkPreviewResponse | null>(null);
  uploaded = $state(0);
  uploading = $state(0);
  /** The ownerships in scope, loaded when staff first file to one (seed 003). */
  ownerships = $state<OwnershipOptionDto[] | null>(null);

  async loadOwnerships(): Promise<void> {
    if (this.ownerships) return;
    this.ownerships = (await api.get<OwnershipOptionsResponse>('/staff/documents/ownerships')).ownerships;
  }

  load(): Promise<void> {
    return this.loadWithPlaces<{ documents: StaffDocumentDto[] }>('/staff/documents', (list) => {
      this.documents = list.documents;
    });
  }

  async publishOne(input: {
    title: string;
    type: DocumentType;
    scope: { kind: DocumentScopeKind; id: string };
    file: File;
  }): Promise<void> {
    const attachment = await uploadFile(input.file).promise;
    const { document } = await api.post<{ document: StaffDocumentDto }>('/staff/documents', {
      title: input.title,
      type: input.type,
      scope: input.scope,
      attachmentId: attachment.id,
    });
    this.documents = [document, ...this.documents];
  }

  /** Uploads one after the other (the server re-checks every PDF), then asks for the matches. */
  async uploadAndMatch(files: File[]): Promise<void> {
    this.preview = null;
    this.uploading = files.length;
    this.uploaded = 0;
    const uploaded: { attachmentId: string; fileName: string }[] = [];
    try {
      for (const file of files) {
        const attachment = await uploadFile(file).promise;
        uploaded.push({ attachmentId: attachment.id, fileName: file.name });
        this.uploaded++;
      }
    } finally {
      this.uploading = 0;
    }
    this.preview = await api.post<BulkPreviewResponse>('/staff/documents/bulk/preview', { files: uploaded });
  }

  async publishMatched(type: DocumentType, title: string): Promise<number> {
    if (!this.preview) return 0;
    const items = this.preview.matched.map(({ attachmentId, contractId }) => ({ attachmentId, contractId }));
    const { documents } = await api.post<{ documents: StaffDocumentDto[] }>('/staff/documents/bulk/publish', {
      type,
      title,
      items,
    });
    this.preview = null;
    this.documents = [...documents, ...this.documents];
    return documents.length;
  }
}

export const staffDocuments = new StaffDocumentsState();
