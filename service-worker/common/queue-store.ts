import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/**
 * The offline request queue's storage and sender, without Svelte: the page (queue.svelte.ts) and the
 * service worker's Background Sync handler (service-worker/sync.ts) both run it. IndexedDB keeps photos
 * as Blobs, so a damage report written in a cellar without signal keeps its pictures.
 */

export interface QueuedPhoto {
  blob: Blob;
  name: string;
  /** Set once uploaded, so a retry after a crash does not upload it again. */
  attachmentId?: string;
}

interface QueuedBase {
  /** The server's idempotency key (API.md): the same clientId twice is one ticket / one message. */
  clientId: string;
  /** Only the user who wrote it sends it: never post under someone who signed in later on this device. */
  userId: string;
  createdAt: string;
  photos: QueuedPhoto[];
  /** A definite refusal (4xx other than 401/408/429): kept to tell the user, not retried. */
  failedCode?: string;
}

export interface QueuedTicket extends QueuedBase {
  kind: 'ticket';
  request: {
    type: string;
    fields: Record<string, unknown>;
    title?: string;
    description: string;
    contractId?: string;
  };
}

export interface QueuedMessage extends QueuedBase {
  kind: 'message';
  ticketId: string;
  request: { body: string };
}

export type QueuedRequest = QueuedTicket | QueuedMessage;

interface QueueDb extends DBSchema {
  requests: { key: string; value: QueuedRequest; indexes: { byUser: string } };
}

const DB_NAME = 'portier-queue';
let database: Promise<IDBPDatabase<QueueDb>> | null = null;

function db(): Promise<IDBPDatabase<QueueDb>> {
  database ??= openDB<QueueDb>(DB_NAME, 1, {
    upgrade(upgrade) {
      upgrade.createObjectStore('requests', { keyPath: 'clientId' }).createIndex('byUser', 'userId');
    },
  });
  return database;
}

export async function putQueued(entry: QueuedRequest): Promise<void> {
  await (await db()).put('requests', entry);
}

export async function listQueued(userId: string): Promise<QueuedRequest[]> {
  const all = await (await db()).getAllFromIndex('requests', 'byUser', userId);
  return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function removeQueued(clientId: string): Promise<void> {
  await (await db()).delete('requests', clientId);
}

/** Why sending stopped: the network is still away, or the session ended. Both keep the entry. */
export class QueueStopped extends Error {}

async function errorCode(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { error?: { code?: unknown } } | null;
  return typeof body?.error?.code === 'string' ? body.error.code : `http_${response.status}`;
}

const retryLater = (status: number) => status === 401 || status === 408 || status === 429 || status >= 500;

async function send(path: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin', ...init });
  } catch {
    throw new QueueStopped('network');
  }
  if (retryLater(response.status)) throw new QueueStopped(`http_${response.status}`);
  return response;
}

async function uploadPhotos(entry: QueuedRequest): Promise<string[] | { failed: string }> {
  for (const photo of entry.photos) {
    if (photo.attachmentId) continue;
    const form = new FormData();
    form.append('file', photo.blob, photo.name);
    const response = await send('/api/uploads', { method: 'POST', body: form });
    if (!response.ok) return { failed: await errorCode(response) };
    const { attachment } = (await response.json()) as { attachment: { id: string } };
    photo.attachmentId = attachment.id;
    await putQueued(entry); // remember the upload before the next step can fail
  }
  return entry.photos.map((photo) => photo.attachmentId ?? '');
}

/**
 * Sends one entry: photos first, then the ticket or message with their attachment ids and the clientId.
 * Resolves with the server's JSON (201, or 200 for a repeat of the same clientId) or `failed`.
 */
export async function sendQueued(entry: QueuedRequest): Promise<{ ok: unknown } | { failed: string }> {
  const attachmentIds = await uploadPhotos(entry);
  if (!Array.isArray(attachmentIds)) return attachmentIds;
  const extra = attachmentIds.length > 0 ? { attachmentIds } : {};
  const [path, body] =
    entry.kind === 'ticket'
      ? ['/api/tickets', { ...entry.request, ...extra, clientId: entry.clientId }]
      : [
          `/api/tickets/${encodeURIComponent(entry.ticketId)}/messages`,
          { ...entry.request, ...extra, clientId: entry.clientId },
        ];
  const response = await send(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) return { failed: await errorCode(response) };
  return { ok: await response.json().catch(() => null) };
}

/**
 * Sends every pending entry of `userId`, oldest first, one flush at a time per origin (Web Locks span
 * tabs and the worker, so a photo is never uploaded twice by two flushes racing). Stops at the first
 * network failure; a refused entry is marked and skipped from then on.
 */
export async function flushQueued(userId: string, onSent?: (entry: QueuedRequest, result: unknown) => void) {
  const run = async () => {
    for (const entry of await listQueued(userId)) {
      if (entry.failedCode) continue;
      try {
        const result = await sendQueued(entry);
        if ('ok' in result) {
          await removeQueued(entry.clientId);
          onSent?.(entry, result.ok);
        } else {
          await putQueued({ ...entry, failedCode: result.failed });
        }
      } catch (error) {
        if (error instanceof QueueStopped) return;
        throw error;
      }
    }
  };
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks) await locks.request('portier-queue-flush', run);
  else await run();
}
