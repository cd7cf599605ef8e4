/**
 * Offline request queue (issue 6 item 6: "a damage report or message written offline is queued with its
 * photos and sent automatically when back online, exactly once").
 *
 * API for pages (import from 'client/lib/pwa/queue.ts'):
 *
 *   await queueTicket({ clientId, type, fields, description, contractId?, photos?: [{ blob, name }] })
 *   await queueMessage({ clientId, ticketId, body, photos?: [{ blob, name }] })
 *     Stores the request in IndexedDB (photos as Blobs, shrink them first) for the signed-in user and
 *     tries to send it right away when the browser thinks it is online. Use the same `clientId` you
 *     would send over HTTP: the server is idempotent by clientId, so a request that reached the server
 *     before the connection dropped is not filed twice. Throws when nobody is signed in.
 *   offlineQueue.pending
 *     Reactive ($state) list of this user's entries not yet accepted, oldest first. An entry with
 *     `failedCode` was refused by the server (e.g. `validation_failed`, `not_found`) and is not retried:
 *     show it and let the user `discard(clientId)` it.
 *   await flush()
 *     Sends what can be sent now (photos via POST /api/uploads first, then POST /api/tickets or
 *     POST /api/tickets/:id/messages with the attachment ids). Also runs on the `online` event, on app
 *     start and sign-in, and from the service worker's Background Sync where available.
 *   offlineQueue.onSent((entry, response) => …) → unsubscribe
 *     Called once per entry the server accepted, with the server's JSON ({ ticket } or { message }).
 *
 * When to queue: on `ApiError` code `network_error` (client/lib/api.ts) or while
 * `connectivity.offline` (client/lib/pwa/status.svelte.ts) is true.
 */
import { offlineQueue, type MessageDraft, type TicketDraft } from './queue.svelte.ts';

export { offlineQueue };
export type { MessageDraft, TicketDraft };
export type {
  QueuedRequest,
  QueuedTicket,
  QueuedMessage,
} from '../../../service-worker/common/queue-store.ts';

export const queueTicket = (draft: TicketDraft) => offlineQueue.queueTicket(draft);
export const queueMessage = (draft: MessageDraft) => offlineQueue.queueMessage(draft);
export const flush = () => offlineQueue.flush();
