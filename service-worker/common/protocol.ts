/**
 * What page and service worker say to each other, and the names both sides use for the Cache Storage
 * (the page clears the data caches itself on logout: Cache Storage is shared by the origin).
 */

/** API answers for offline reading ("last known" contracts, invoices, documents, notices, requests). */
export const DATA_CACHE = 'portier-data-v1';
/** Invoice PDFs and document files opened once or kept offline on purpose. */
export const FILE_CACHE = 'portier-files-v1';
export const USER_CACHES = [DATA_CACHE, FILE_CACHE] as const;

/** Set by the worker on an answer that came from DATA_CACHE instead of the network: when it was stored. */
export const CACHED_AT_HEADER = 'X-Portier-Cached-At';
/** Set on the stored copy, so a later cache hit can say how old it is. */
export const STORED_AT_HEADER = 'X-Portier-Stored-At';

/** Background Sync tag under which the offline request queue is flushed (client/lib/pwa/queue.ts). */
export const QUEUE_SYNC_TAG = 'portier-queue';

export type PageToWorker =
  /** The user accepted the update prompt: activate the waiting worker now. */
  | { type: 'SKIP_WAITING' }
  /** Logout or a different user: drop every cached answer of the previous one. */
  | { type: 'CLEAR_USER_DATA' };

export type WorkerToPage =
  /** A notification was clicked while a tab was open but could not be navigated by the worker. */
  | { type: 'NAVIGATE'; url: string }
  /** Background Sync sent (some of) the offline queue: re-read it. */
  | { type: 'QUEUE_CHANGED' };
