import { resolve } from 'node:path';
import { z } from 'zod';
import { parsePushAllowedHosts } from './notify/push-endpoints.ts';

const defaultMailFrom = 'no-reply@portier.localhost';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  /** PostgreSQL (API.md "Scale-out"); unset → the embedded SQLite file in DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(
      /^postgres(ql)?:\/\/./,
      'DATABASE_URL must be a PostgreSQL URL starting with postgres:// or postgresql:// (unset it for the embedded SQLite in DATA_DIR)',
    )
    .optional()
    .or(z.literal('')),
  PUBLIC_URL: z.url().optional(),
  SMTP_URL: z.string().optional(),
  /**
   * The sender of every mail. A bare address gets the landlord's name as display name. The default's
   * domain is reserved (RFC 6761 `.localhost`): fine for the demo's `.eml` files, refused by real
   * mail servers, so production refuses to start with it (assertDeliverableSenders).
   */
  MAIL_FROM: z.string().default(defaultMailFrom),
  TRUST_PROXY: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Extra origins allowed to send state-changing requests (comma-separated), e.g. a second domain. */
  ALLOWED_ORIGINS: z.string().default(''),
  /** Time zone for times written in mails ("valid until 14:30"). */
  TIME_ZONE: z.string().default('Europe/Berlin'),
  /** Web push (RFC 8292); unset → generated once into $DATA_DIR/vapid.json. */
  VAPID_PUBLIC_KEY: z.string().optional(),
  VAPID_PRIVATE_KEY: z.string().optional(),
  /** A mailto: or https: contact the push services may use to reach the operator. */
  VAPID_SUBJECT: z.string().optional(),
  /** HTTP SMS provider; unset → each SMS is written to $DATA_DIR/sms/. */
  SMS_URL: z.url().optional(),
  SMS_TOKEN: z.string().optional(),
  SMS_FROM: z.string().default('Portier'),
  /** Browser push services the server may send to (comma-separated hosts, `*.` for subdomains). */
  PUSH_ALLOWED_HOSTS: z.string().optional(),
  /** A local push service for tests: http and loopback addresses. Never in production. */
  PUSH_ALLOW_LOOPBACK: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  /** Events one live socket may send per 10 s (server/realtime/limits.ts). */
  LIVE_EVENT_LIMIT: z.coerce.number().int().min(1).max(100_000).default(60),
  /** Redis for several instances (API.md "Scale-out"); unset → everything stays in this process. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://')
    .optional()
    .or(z.literal('')),
  /** Bearer token a Prometheus scraper sends to GET /metrics from elsewhere than this machine. */
  METRICS_TOKEN: z.string().optional(),
  NODE_ENV: z.string().optional(),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /**
   * DATABASE_URL: the PostgreSQL the data lives in (server/store.ts opens it). Undefined → the
   * SQLite file `portier.sqlite` in dataDir. Files (documents, attachments) stay in dataDir either way.
   */
  databaseUrl: string | undefined;
  /** Origin the app is served from; the Origin check and every link in mails use it. */
  publicUrl: string;
  /** Cookies get `Secure` when the public URL is https. */
  secureCookies: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Read the client IP from X-Forwarded-For (only behind a trusted reverse proxy). */
  trustProxy: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Origins whose state-changing requests are accepted: publicUrl's origin plus ALLOWED_ORIGINS. */
  allowedOrigins: string[];
  timeZone: string;
  vapid: { publicKey: string | undefined; privateKey: string | undefined; subject: string };
  sms: { url: string | undefined; token: string | undefined; from: string };
  /**
   * Hosts of the browser push services a subscription may name (`fcm.googleapis.com`,
   * `*.push.apple.com`; notify/push-endpoints.ts has the default list). Anything else is refused,
   * so the push worker cannot be pointed at internal addresses (issue 13 finding 4).
   */
  pushAllowedHosts: string[];
  /**
   * Push endpoints must be https (RFC 8030 §8) on a public address; PUSH_ALLOW_LOOPBACK lets a
   * local test push service through (http, loopback). Off unless set explicitly.
   */
  allowLoopbackPushEndpoints: boolean;
  /** Events one live socket may send per 10 s before it is answered 429 (and closed when it floods). */
  liveEventLimit: number;
  /** NODE_ENV=production: start-up insists on deliverable senders (assertDeliverableSenders). */
  production: boolean;
  /**
   * REDIS_URL: live fan-out, presence, session revocation, rate limits and job leases shared by
   * every instance (server/scale/redis.ts). Undefined → one process, everything in it as before.
   */
  redisUrl: string | undefined;
  /** METRICS_TOKEN: `Authorization: Bearer …` that opens GET /metrics beyond loopback (routes/metrics.ts). */
  metricsToken: string | undefined;
}

function originsFrom(publicUrl: string, extra: string): string[] {
  const origins = [publicUrl, ...extra.split(',')]
    .map((value) => value.trim())
    .filter(Boolean)
    .map((value) => new URL(value).origin);
  return [...new Set(origins)];
}

/** `Portier <no-reply@x>` → `no-reply@x`. */
function mailAddressOf(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = envSchema.parse(env);
  const port = overrides.port ?? parsed.PORT;
  const publicUrl = (overrides.publicUrl ?? parsed.PUBLIC_URL ?? `http://localhost:${port}`).replace(
    /\/$/,
    '',
  );
  return {
    port,
    host: parsed.HOST,
    dataDir: resolve(parsed.DATA_DIR),
    databaseUrl: parsed.DATABASE_URL || undefined,
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    smtpUrl: parsed.SMTP_URL || undefined,
    mailFrom: parsed.MAIL_FROM,
    trustProxy: parsed.TRUST_PROXY,
    logLevel: parsed.LOG_LEVEL,
    allowedOrigins: originsFrom(publicUrl, parsed.ALLOWED_ORIGINS),
    timeZone: parsed.TIME_ZONE,
    vapid: {
      publicKey: parsed.VAPID_PUBLIC_KEY || undefined,
      privateKey: parsed.VAPID_PRIVATE_KEY || undefined,
      subject: parsed.VAPID_SUBJECT || `mailto:${mailAddressOf(parsed.MAIL_FROM)}`,
    },
    sms: { url: parsed.SMS_URL || undefined, token: parsed.SMS_TOKEN || undefined, from: parsed.SMS_FROM },
    pushAllowedHosts: parsePushAllowedHosts(parsed.PUSH_ALLOWED_HOSTS),
    allowLoopbackPushEndpoints: parsed.PUSH_ALLOW_LOOPBACK,
    liveEventLimit: parsed.LIVE_EVENT_LIMIT,
    production: parsed.NODE_ENV === 'production',
    redisUrl: parsed.REDIS_URL || undefined,
    metricsToken: parsed.METRICS_TOKEN || undefined,
    ...overrides,
  };
}

/**
 * Domains no real mail server accepts mail for or from: RFC 2606 and RFC 6761 reserve them for
 * tests, examples and the local host.
 */
const reservedDomain = /(^|\.)(localhost|test|example|invalid|local|example\.(com|net|org))$/i;

function domainOf(value: string): string | null {
  const address = mailAddressOf(value.replace(/^mailto:/i, ''));
  if (address.includes('@')) return address.slice(address.lastIndexOf('@') + 1);
  try {
    return new URL(value).hostname;
  } catch {
    return null;
  }
}

const undeliverable = (value: string) => {
  const domain = domainOf(value);
  return !domain || reservedDomain.test(domain);
};

/**
 * Production start-up check (server/main.ts; the demo keeps its defaults): the mail sender and the
 * VAPID subject (RFC 8292 §2.1, the contact push services use) must be on a real domain. Mail from
 * a reserved domain is refused by receiving servers, so every mail would bounce; a push service may
 * refuse an unreachable contact. Throws naming the setting to set.
 */
export function assertDeliverableSenders(config: Pick<Config, 'production' | 'mailFrom' | 'vapid'>): void {
  if (!config.production) return;
  const problems: string[] = [];
  if (undeliverable(config.mailFrom))
    problems.push(
      `MAIL_FROM is "${config.mailFrom}", an address on a reserved domain that real mail servers refuse: ` +
        'set MAIL_FROM to an address of your own domain, e.g. MAIL_FROM=no-reply@mail.your-company.com.',
    );
  if (undeliverable(config.vapid.subject))
    problems.push(
      `VAPID_SUBJECT is "${config.vapid.subject}" (taken from MAIL_FROM when unset), on a reserved domain: ` +
        'set VAPID_SUBJECT to mailto: a real address or an https: URL of yours (RFC 8292).',
    );
  if (problems.length > 0)
    throw new Error(`Portier cannot start in production (NODE_ENV=production):\n- ${problems.join('\n- ')}`);
}
