import type { AddressInfo } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { serve } from '@hono/node-server';
import { io as connect, type Socket } from 'socket.io-client';
import { createApp } from '../../server/app.ts';
import type { Deps } from '../../server/deps.ts';
import { attachRealtime, type Realtime } from '../../server/realtime/index.ts';
import type {
  ClientToServerEvents,
  LiveEvent,
  ResyncAnswer,
  ServerToClientEvents,
} from '../../shared/api/live.ts';
import { sessionCookieName, testOrigin } from './auth.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface LiveServer {
  url: string;
  port: number;
  realtime: Realtime;
  close(): Promise<void>;
}

/** The real thing on an ephemeral port: Hono over node:http with Socket.IO attached (like main.ts). */
export async function startLiveServer(deps: Deps, port = 0): Promise<LiveServer> {
  const app = createApp(deps);
  const server = await new Promise<HttpServer>((resolve) => {
    const started = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () =>
      resolve(started as HttpServer),
    );
  });
  const realtime = attachRealtime(server, deps);
  const actual = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${actual}`, port: actual, realtime, close: () => realtime.close() };
}

export interface ConnectOptions {
  token?: string | null;
  origin?: string | null;
}

/** A socket.io-client over WebSocket with the browser's Origin and session cookie. Not connected yet. */
export function liveSocket(url: string, options: ConnectOptions = {}): ClientSocket {
  const headers: Record<string, string> = {};
  if (options.origin !== null) headers.origin = options.origin ?? testOrigin;
  if (options.token) headers.cookie = `${sessionCookieName}=${options.token}`;
  return connect(url, {
    path: '/socket.io',
    transports: ['websocket'],
    extraHeaders: headers,
    autoConnect: false,
    reconnection: false,
    forceNew: true,
  });
}

/** Resolves on connect, rejects with the handshake's error message. */
export function connected(socket: ClientSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
    socket.connect();
  });
}

export async function waitFor(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function ack<T>(socket: ClientSocket, event: string, payload: unknown): Promise<T> {
  return (socket as unknown as Socket).timeout(5000).emitWithAck(event, payload) as Promise<T>;
}

/**
 * The client side of at-least-once delivery as the PWA does it: keep the last event id, drop
 * duplicates (live events may overlap a resync page), resync after every (re)connect.
 */
export class LiveClient {
  readonly events: LiveEvent[] = [];
  readonly ephemeral: LiveEvent[] = [];
  lastId = 0;
  socket: ClientSocket | null = null;

  constructor(
    private url: string,
    private token: string,
  ) {}

  private accept(event: LiveEvent): void {
    if (event.id === 0) this.ephemeral.push(event);
    else if (event.id > this.lastId) {
      this.events.push(event);
      this.lastId = event.id;
    }
  }

  async connect(url = this.url): Promise<void> {
    this.url = url;
    const socket = liveSocket(url, { token: this.token });
    // Live events arriving during a resync are held back until the page is in, to keep order.
    let buffered: LiveEvent[] | null = [];
    socket.on('event', (event) => (buffered ? buffered.push(event) : this.accept(event)));
    await connected(socket);
    this.socket = socket;
    let cursor = this.lastId;
    for (;;) {
      const answer = await ack<ResyncAnswer>(socket, 'resync', { after: cursor });
      for (const event of answer.events) this.accept(event);
      cursor = answer.latest;
      if (!answer.more) break;
    }
    const pending = buffered;
    buffered = null;
    for (const event of pending.sort((a, b) => a.id - b.id)) this.accept(event);
  }

  disconnect(): void {
    this.socket?.disconnect();
    this.socket = null;
  }

  ofType(type: string): LiveEvent[] {
    return this.events.filter((event) => event.type === type);
  }
}
