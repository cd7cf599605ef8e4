import { connect } from 'node:net';

/**
 * Speaks Engine.IO long-polling over a raw TCP connection, so a test can send exactly the bytes an
 * attacker would: header values that `fetch` or `node:http` refuse to send (a lone `%`, CR/LF,
 * non-ASCII), malformed packets, any query string.
 */
export interface RawAnswer {
  status: number;
  head: string;
  body: string;
}

/**
 * One HTTP/1.1 request on its own connection (`Connection: close`); resolves with the answer. The
 * client's side stays open until the server closes it after answering, as a browser's does: a
 * long-polling GET whose client half-closes is aborted by Engine.IO ("poll connection closed
 * prematurely", node's `close` event of the request) and answered with nothing whenever the server
 * has nothing to send yet, e.g. while the handshake middleware still reads the session from a
 * database server.
 */
export function rawHttp(port: number, request: string | Buffer, timeoutMs = 5000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ port, host: '127.0.0.1' }, () => socket.write(request));
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = split === -1 ? text : text.slice(0, split);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body: split === -1 ? '' : text.slice(split + 4) });
    });
  });
}

export interface PollingRequest {
  method?: 'GET' | 'POST';
  query?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A long-polling request to `/socket.io/` with raw header values (written as given, unescaped). */
export function polling(port: number, { method = 'GET', query = '', headers = {}, body }: PollingRequest) {
  const lines = [`${method} /socket.io/?${query} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
  if (payload) lines.push('Content-Type: text/plain;charset=UTF-8', `Content-Length: ${payload.length}`);
  const head = Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1');
  return rawHttp(port, payload ? Buffer.concat([head, payload]) : head);
}

/**
 * The handshake the probe used: open a polling session with the given headers, send `packet`
 * (a CONNECT `40` by default, then optional further packets), and read what the server answered.
 * Returns the polled body (e.g. `44{"message":"unauthenticated"}`), or the status of the step
 * that was refused.
 */
export async function pollingHandshake(
  port: number,
  headers: Record<string, string>,
  packets: string[] = ['40'],
  query = 'EIO=4&transport=polling',
): Promise<{ status: number; answer: string }> {
  const open = await polling(port, { query, headers });
  const sid = /"sid":"([^"]+)"/.exec(open.body)?.[1];
  if (open.status !== 200 || !sid) return { status: open.status, answer: open.body };
  const session = `EIO=4&transport=polling&sid=${encodeURIComponent(sid)}`;
  // Engine.IO v4 joins several packets in one payload with the record separator.
  const sent = await polling(port, { method: 'POST', query: session, headers, body: packets.join('\x1e') });
  if (sent.status !== 200) return { status: sent.status, answer: sent.body };
  const read = await polling(port, { query: session, headers });
  return { status: read.status, answer: read.body };
}
