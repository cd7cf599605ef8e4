import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '../../server/app.ts';
import type { Deps } from '../../server/deps.ts';
import { drainOutbox } from '../../server/notify/worker.ts';

/** The origin of `publicUrl` in tests/helpers/context.ts: state-changing requests must carry it. */
export const testOrigin = 'http://portier.test';
export const sessionCookieName = 'portier_session';

export interface CallOptions {
  method?: string;
  /** Sent as JSON (with Content-Type: application/json). */
  json?: unknown;
  /** Sent as is; set your own content type in `headers`. */
  rawBody?: string;
  /** `portier_session=…` or just the token. */
  cookie?: string | null;
  /** Defaults to the test origin; null sends none. */
  origin?: string | null;
  headers?: Record<string, string>;
  /** Client address as the Node server would see it on the socket. */
  ip?: string;
}

/** One request through `app.request()`, the way the PWA would send it. */
export function call(app: App, path: string, options: CallOptions = {}): Promise<Response> {
  const method =
    options.method ?? (options.json !== undefined || options.rawBody !== undefined ? 'POST' : 'GET');
  const headers: Record<string, string> = { ...options.headers };
  if (options.origin !== null) headers.origin ??= options.origin ?? testOrigin;
  if (options.cookie) {
    headers.cookie = options.cookie.includes('=') ? options.cookie : `${sessionCookieName}=${options.cookie}`;
  }
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.rawBody !== undefined) {
    body = options.rawBody;
  }
  const env = options.ip ? { incoming: { socket: { remoteAddress: options.ip } } } : undefined;
  return Promise.resolve(app.request(path, { method, headers, body }, env));
}

/** The session cookie a response sets: the value (token), '' when it clears it, null when untouched. */
export function sessionCookieOf(res: Response): string | null {
  for (const header of res.headers.getSetCookie()) {
    const match = new RegExp(`^${sessionCookieName}=([^;]*)`).exec(header);
    if (match) return match[1]!;
  }
  return null;
}

export function setCookieHeader(res: Response): string | undefined {
  return res.headers.getSetCookie().find((h) => h.startsWith(`${sessionCookieName}=`));
}

/** Signs in and returns the session token; throws when the login is refused. */
export async function loginAs(app: App, login: string, password: string, ip?: string): Promise<string> {
  const res = await call(app, '/api/auth/login', { json: { login, password }, ip });
  const token = sessionCookieOf(res);
  if (res.status !== 200 || !token) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return token;
}

export interface ReadMail {
  file: string;
  to: string;
  subject: string;
  /** Headers and bodies with quoted-printable undone. */
  text: string;
  /** The first portal link with a token, e.g. `http://…/verify?token=…`. */
  link: string | null;
  token: string | null;
}

const recipientPart = (to: string) => to.toLowerCase().replace(/[^a-z0-9@._+-]/g, '_');

/** The `.eml` files written for `to` (all when omitted), oldest first. */
export function listMails(dataDir: string, to?: string): string[] {
  let files: string[];
  try {
    files = readdirSync(join(dataDir, 'mail'));
  } catch {
    return [];
  }
  const suffix = to ? `-${recipientPart(to)}.eml` : '.eml';
  return files.filter((f) => f.endsWith(suffix)).sort();
}

function decodeQuotedPrintable(value: string): string {
  const soft = value.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeSubject(raw: string): string {
  const header = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1] ?? '';
  return header
    .replace(/\r?\n[ \t]/g, ' ')
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

export function parseMail(file: string): ReadMail {
  const raw = readFileSync(file, 'utf8');
  const text = decodeQuotedPrintable(raw);
  const match = /https?:\/\/[^\s"<>]+?\/[a-z-]+\?token=([a-z0-9]+\.[a-z0-9]+)/.exec(text);
  const to = /^To: (.*)$/m.exec(raw)?.[1]?.trim() ?? '';
  return { file, to, subject: decodeSubject(raw), text, link: match?.[0] ?? null, token: match?.[1] ?? null };
}

export interface ReadLatestMailOptions {
  /** Only mails whose link goes to this path, e.g. '/reset-password'. */
  path?: string;
  /** Only mails written after this file (from an earlier `readLatestMail`). */
  after?: string;
  /** Mails may be sent after the answer (forgot password): wait this long for one to appear. */
  timeoutMs?: number;
}

/** A test context: its outbox is drained before mails are looked for (no worker runs in tests). */
export interface MailSource {
  dataDir: string;
  deps: Deps;
}

/**
 * The newest mail to `to`, parsed. Mails are outbox rows sent by a worker: given a test context,
 * its outbox is drained first; given a data dir (e2e against a running server, whose worker
 * sends), this polls until one matches.
 */
export async function readLatestMail(
  source: string | MailSource,
  to: string,
  options: ReadLatestMailOptions = {},
): Promise<ReadMail> {
  const dataDir = typeof source === 'string' ? source : source.dataDir;
  const deadline = Date.now() + (options.timeoutMs ?? 3000);
  for (;;) {
    if (typeof source !== 'string') await drainOutbox(source.deps);
    const files = listMails(dataDir, to).filter(
      (f) => !options.after || join(dataDir, 'mail', f) > options.after,
    );
    for (const name of files.reverse()) {
      const mail = parseMail(join(dataDir, 'mail', name));
      if (!options.path || mail.link?.includes(`${options.path}?token=`)) return mail;
    }
    if (Date.now() > deadline)
      throw new Error(`no mail to ${to}${options.path ? ` with ${options.path}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
