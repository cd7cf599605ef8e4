// The bare Socket.IO baseline for the live benchmarks: the same socket.io version on node:http,
// no auth, no database. It does what the app's live layer does for the measured paths with
// nothing else around it:
// - `message.send` → ack, and relay to the ticket room (all sender sockets, as the tenant's own
//   sockets follow her tickets) and the staff room — the same fan-out as the app;
// - `POST /broadcast` → one room emit to every idle socket (the app's estate room);
// - IPC `gc` like bench/lib/app-server.ts, for the idle-memory reading.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { serveIpc } from './lib/ipc.ts';

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
  void socket.join(role === 'staff' ? 'staff' : role === 'sender' ? ['ticket', 'estate'] : 'estate');
  socket.on(
    'message.send',
    (request: { body: string; clientId: string }, ack?: (answer: unknown) => void) => {
      const message = { id: String(nextId), body: request.body, clientId: request.clientId };
      io.to('ticket').to('staff').emit('event', { id: nextId++, type: 'message.created', data: { message } });
      ack?.({ message });
    },
  );
});

http.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));

serveIpc({
  gc: () => {
    globalThis.gc?.();
    return { heapUsed: process.memoryUsage().heapUsed };
  },
});
