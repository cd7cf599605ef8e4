// The bare Socket.IO baseline for the live benchmarks: the same socket.io version on node:http,
// no auth, no database. It does what the app's live layer does for the measured paths with
// nothing else around it:
// - `message.send` → ack, and relay to the ticket's room (all sender sockets, as the tenant's own
//   sockets follow her tickets) and the staff scope rooms covering the ticket — the same rooms and
//   receivers as the app's message.created (server/realtime: `ticket:<id>` plus staffRoomsFor);
// - with `durable` on (IPC), each message is first stored in one fsync'd SQLite commit
//   (bench/lib/durable-commit.ts), as the app stores it before anyone hears of it: the baseline
//   "bare echo + one durable commit with the same fan-out";
// - `POST /broadcast` → one room emit to every idle socket (the app's estate room);
// - IPC `gc` like bench/lib/app-server.ts, for the idle-memory reading.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { openDurableStore } from './lib/durable-commit.ts';
import { serveIpc } from './lib/ipc.ts';

/** The ticket every bare sender writes on (bench/lib/fleet.ts) and the staff rooms that cover it. */
const ticketRoom = 'ticket:bare-ticket';
const staffRooms = ['staff-scope:all', 'staff-building:bare-building', 'staff-estate:bare-estate'];
const store = openDurableStore();
let durable = false;

let nextId = 1;
const http = createServer((req, res) => {
  if (req.method === 'POST' && req.url?.startsWith('/broadcast')) {
    const title = new URL(req.url, 'http://x').searchParams.get('title') ?? '';
    io.to('estate').emit('event', { id: nextId++, type: 'notice.published', data: { notice: { title } } });
    res.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}');
    return;
  }
  res.writeHead(404).end();
});
const io = new Server(http, { path: '/socket.io', serveClient: false });

io.on('connection', (socket) => {
  const role = socket.handshake.query.role;
  void socket.join(
    role === 'staff' ? ['staff', 'staff-scope:all'] : role === 'sender' ? [ticketRoom, 'estate'] : 'estate',
  );
  socket.on(
    'message.send',
    (request: { ticketId: string; body: string; clientId: string }, ack?: (answer: unknown) => void) => {
      if (durable) store.commit(request.body);
      const message = { id: String(nextId), body: request.body, clientId: request.clientId };
      io.to(`ticket:${request.ticketId}`)
        .to(staffRooms)
        .emit('event', { id: nextId++, type: 'message.created', data: { message } });
      ack?.({ message });
    },
  );
});

http.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
process.on('SIGTERM', () => {
  store.close();
  process.exit(0);
});

serveIpc({
  durable: (message) => {
    durable = message.on === true;
    return { durable };
  },
  gc: () => {
    globalThis.gc?.();
    return { heapUsed: process.memoryUsage().heapUsed };
  },
});
