// A load-generator process: holds a share of the sockets (e.g. 1,250 of 5,000) and does what the
// parent asks over IPC. Timestamps are taken here, not in the parent, so IPC delays never count.
import { io as connect, type Socket } from 'socket.io-client';
import { serveIpc } from './ipc.ts';
import { epochMs } from './processes.ts';

type Role = 'idle' | 'sender' | 'staff';
interface LiveEventLike {
  type: string;
  data: unknown;
}

const sockets: { socket: Socket; role: Role }[] = [];
/** runId → latencies in ms measured at the staff socket. */
const latencies = new Map<string, number[]>();
/** notice title → receive times (epoch ms) at idle sockets. */
const broadcasts = new Map<string, number[]>();

function onEvent(role: Role, event: LiveEventLike): void {
  if (role === 'staff' && event.type === 'message.created') {
    const body = (event.data as { message?: { body?: string } }).message?.body ?? '';
    const [tag, runId, sentAt] = body.split('|');
    if (tag !== 'bench' || !runId) return;
    let list = latencies.get(runId);
    if (!list) latencies.set(runId, (list = []));
    list.push(epochMs() - Number(sentAt));
  } else if (role === 'idle' && event.type === 'notice.published') {
    const at = epochMs();
    const match = /bench-notice-[0-9a-z-]+/.exec(JSON.stringify(event.data));
    if (!match) return;
    let list = broadcasts.get(match[0]);
    if (!list) broadcasts.set(match[0], (list = []));
    list.push(at);
  }
}

function open(url: string, role: Role, headers: Record<string, string>): Promise<void> {
  const socket = connect(url, {
    path: '/socket.io',
    transports: ['websocket'],
    extraHeaders: headers,
    query: { role },
    reconnection: false,
    forceNew: true,
  });
  socket.on('event', (event: LiveEventLike) => onEvent(role, event));
  sockets.push({ socket, role });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
}

async function connectAll(message: Record<string, unknown>) {
  const url = String(message.url);
  const role = message.role as Role;
  const cookies = (message.cookies as string[] | undefined) ?? [];
  const origin = message.origin as string | undefined;
  const count = Number(message.count);
  // Batches keep the handshake burst from looking like an attack on either server.
  for (let start = 0; start < count; start += 100) {
    const batch = [];
    for (let i = start; i < Math.min(count, start + 100); i++) {
      const headers: Record<string, string> = {};
      if (origin) headers.origin = origin;
      if (cookies.length > 0) headers.cookie = cookies[i % cookies.length]!;
      batch.push(open(url, role, headers));
    }
    await Promise.all(batch);
  }
  return { connected: sockets.filter((s) => s.socket.connected).length };
}

/** Sends at a fixed rate from this worker's sender sockets; the next send is due by schedule, not by ack. */
async function send(message: Record<string, unknown>) {
  const senders = sockets.filter((s) => s.role === 'sender').map((s) => s.socket);
  const ticketIds = message.ticketIds as string[];
  const perSecond = Number(message.perSecond);
  const durationMs = Number(message.durationMs);
  const runId = String(message.runId);
  if (senders.length === 0) throw new Error('no sender sockets');
  let sent = 0;
  let acked = 0;
  const errors: string[] = [];
  const pending: Promise<void>[] = [];
  const start = epochMs();
  while (epochMs() - start < durationMs) {
    const due = Math.floor(((epochMs() - start) / 1000) * perSecond);
    while (sent < due) {
      const index = sent % senders.length;
      const body = `bench|${runId}|${epochMs()}`;
      const clientId = `${runId}-${process.pid}-${sent}`;
      pending.push(
        senders[index]!.timeout(30_000)
          .emitWithAck('message.send', { ticketId: ticketIds[index % ticketIds.length], body, clientId })
          .then(
            (answer: { error?: { code: string } }) => {
              if (answer?.error) errors.push(answer.error.code);
              else acked++;
            },
            () => void errors.push('ack_timeout'),
          ),
      );
      sent++;
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await Promise.all(pending);
  return { sent, acked, errors: [...new Set(errors)] };
}

serveIpc({
  connect: connectAll,
  send,
  latencies: (message) => {
    const runId = String(message.runId);
    const list = latencies.get(runId) ?? [];
    if (message.peek) return list.length;
    latencies.delete(runId);
    return list;
  },
  broadcastStatus: (message) => {
    const list = broadcasts.get(String(message.title)) ?? [];
    return { count: list.length, last: list.length > 0 ? Math.max(...list) : null };
  },
  close: () => {
    for (const { socket } of sockets) socket.disconnect();
    sockets.length = 0;
    return { closed: true };
  },
});
console.log('ready');
