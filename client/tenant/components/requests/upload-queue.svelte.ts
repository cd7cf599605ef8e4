import { ApiError } from '../../../lib/api.ts';
import { isShrinkable, shrinkPhoto } from '../../../lib/photos.ts';
import { uploadAborted, uploadFile, type UploadHandle } from '../../../lib/upload.ts';

export type PendingStatus = 'preparing' | 'uploading' | 'done' | 'failed';

/** One chosen file on its way to `POST /api/uploads`: preview, progress, result or error. */
export class PendingFile {
  readonly key = crypto.randomUUID();
  readonly original: File;
  readonly isImage: boolean;
  /** Object URL for the thumbnail; revoked when the file is removed or the draft ends. */
  readonly previewUrl: string | null;
  status = $state<PendingStatus>('preparing');
  progress = $state(0);
  attachmentId = $state<string | null>(null);
  error = $state<ApiError | null>(null);
  handle: UploadHandle | null = null;
  /** The shrunk file once ready: what an offline draft keeps in the queue instead of the original. */
  prepared: File | null = null;

  constructor(file: File) {
    this.original = file;
    this.isImage = file.type.startsWith('image/');
    this.previewUrl = this.isImage && isShrinkable(file) ? URL.createObjectURL(file) : null;
  }
}

/**
 * The files of one draft (new request or reply). Each file is shrunk, then uploaded on its own with
 * its own progress and retry, so one failed photo on a flaky network never costs the others.
 */
export class UploadQueue {
  items = $state<PendingFile[]>([]);
  busy = $derived(this.items.some((item) => item.status === 'preparing' || item.status === 'uploading'));
  failed = $derived(this.items.some((item) => item.status === 'failed'));
  attachmentIds = $derived(this.items.flatMap((item) => (item.attachmentId ? [item.attachmentId] : [])));
  /** Still shrinking: not even an offline draft can keep the photo yet. */
  preparing = $derived(this.items.some((item) => item.status === 'preparing'));
  /** Every failure is the network's: the draft may go to the offline queue with the photos instead. */
  onlyNetworkFailures = $derived(
    this.items.every((item) => item.status !== 'failed' || item.error?.code === 'network_error'),
  );
  readonly limit: number;

  /** `limit`: the server takes at most 10 attachment ids per request (shared/api/tickets.ts). */
  constructor(limit = 10) {
    this.limit = limit;
  }

  add(files: Iterable<File>): void {
    for (const file of files) {
      if (this.items.length >= this.limit) break;
      const item = new PendingFile(file);
      this.items.push(item);
      void this.#upload(item);
    }
  }

  retry(key: string): void {
    const item = this.items.find((candidate) => candidate.key === key);
    if (item && item.status === 'failed') void this.#upload(item);
  }

  /** Back online: tries again every file that failed for want of a network. */
  retryNetworkFailures(): void {
    for (const item of this.items) {
      if (item.status === 'failed' && item.error?.code === 'network_error') void this.#upload(item);
    }
  }

  remove(key: string): void {
    const item = this.items.find((candidate) => candidate.key === key);
    if (!item) return;
    item.handle?.abort();
    if (item.previewUrl) URL.revokeObjectURL(item.previewUrl);
    this.items = this.items.filter((candidate) => candidate.key !== key);
  }

  /**
   * The photos as Blobs for the offline queue (client/lib/pwa/queue.ts), all of them: the queue uploads
   * them itself when back online, so an upload that did get through is not relied on.
   */
  photos(): { blob: Blob; name: string }[] {
    return this.items.map((item) => {
      const file = item.prepared ?? item.original;
      return { blob: file, name: file.name };
    });
  }

  /** Ends the draft: aborts what still runs and frees every preview. */
  clear(): void {
    for (const item of this.items) {
      item.handle?.abort();
      if (item.previewUrl) URL.revokeObjectURL(item.previewUrl);
    }
    this.items = [];
  }

  async #upload(item: PendingFile): Promise<void> {
    item.status = 'preparing';
    item.error = null;
    item.progress = 0;
    const file = item.prepared ?? (await shrinkPhoto(item.original));
    if (!this.items.includes(item)) return; // removed meanwhile
    item.prepared = file;
    item.status = 'uploading';
    item.handle = uploadFile(file, (fraction) => (item.progress = fraction));
    try {
      const attachment = await item.handle.promise;
      item.attachmentId = attachment.id;
      item.status = 'done';
    } catch (error) {
      if (error instanceof ApiError && error.code === uploadAborted) return;
      item.error = error instanceof ApiError ? error : new ApiError(0, 'network_error', String(error));
      item.status = 'failed';
    } finally {
      item.handle = null;
    }
  }
}
