/**
 * The parts @hono/node-server's lightweight Response holds until the adapter writes them (what
 * `c.json`, `c.text` and `c.body` make): status, body (a string or bytes) and headers (a plain
 * object, or none). Hot middleware reads and amends them here: asking the response for `body`
 * builds an undici Response with a ReadableStream, and asking for `headers` turns the plain object
 * into a WHATWG Headers object that the adapter turns back again — together about a third of the
 * CPU of a small JSON answer (measured with --cpu-prof). Anything else (a stream, a Headers object,
 * a response of another kind, `app.request()` without the adapter) is left to the general paths.
 */
export type HeldParts = [status: number, body: unknown, headers: unknown];

/** A held response whose headers are a plain object or absent; `headers` may be replaced. */
export interface PlainHeld {
  parts: HeldParts;
  body: string | Uint8Array | null;
  headers: Record<string, unknown> | undefined;
}

let heldKey: symbol | undefined;

function partsOf(res: Response): HeldParts | undefined {
  heldKey ??= Object.getOwnPropertySymbols(res).find((key) => key.description === 'cache');
  const held = heldKey && (res as unknown as Record<symbol, unknown>)[heldKey];
  return Array.isArray(held) ? (held as HeldParts) : undefined;
}

/** The response's held parts when its body is a string, bytes or none and its headers plain. */
export function plainHeld(res: Response): PlainHeld | undefined {
  const parts = partsOf(res);
  if (!parts) return undefined;
  const [, body, headers] = parts;
  if (body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) return undefined;
  if (headers === undefined) return { parts, body, headers: undefined };
  if (typeof headers !== 'object' || headers === null) return undefined;
  if (headers instanceof Headers || Array.isArray(headers)) return undefined;
  return { parts, body, headers: headers as Record<string, unknown> };
}

/** The length in bytes of a held body. */
export const bodyLength = (body: string | Uint8Array): number =>
  typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;

/** The length of a body the adapter still holds as a string or bytes; undefined for any other. */
export function heldBodyLength(res: Response): number | undefined {
  const body = partsOf(res)?.[1];
  return typeof body === 'string' || body instanceof Uint8Array ? bodyLength(body) : undefined;
}

/** What the adapter sends as Content-Type for a body held without headers. */
const adapterDefaultType = 'text/plain; charset=UTF-8';

/** A header of a held response by its lower-case name (the adapter's default type included). */
export function heldHeader(held: PlainHeld, name: string): unknown {
  const { headers } = held;
  if (!headers) return name === 'content-type' && held.body !== null ? adapterDefaultType : undefined;
  for (const key in headers) {
    if (key.length === name.length && key.toLowerCase() === name) return headers[key];
  }
  return undefined;
}

/**
 * Gives a held response `extra` headers (lower-case names) under its own, which win whatever
 * their case. The headers are replaced by a new object, never changed in place: a handler may
 * pass the same object to every answer.
 */
export function addHeldHeaders(held: PlainHeld, extra: readonly (readonly [string, string])[]): void {
  const headers: Record<string, unknown> = {};
  for (const [name, value] of extra) headers[name] = value;
  const own = held.headers;
  if (own) {
    for (const key in own) {
      const lower = key.toLowerCase();
      if (lower !== key && lower in headers) delete headers[lower];
      headers[key] = own[key];
    }
  } else if (held.body !== null) {
    // Without headers the adapter would have sent its default type; with them it sends none.
    headers['content-type'] ??= adapterDefaultType;
  }
  held.parts[2] = held.headers = headers;
}
