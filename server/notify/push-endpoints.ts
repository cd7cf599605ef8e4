import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import type { Config } from '../config.ts';

/*
 * Where the server may send pushes (issue 13 finding 4). The endpoint of a subscription comes from
 * the browser, so from anyone signed in: left unchecked, the outbox worker would POST, and retry,
 * to any address the server can reach (loopback services, the private network, cloud metadata).
 * Two gates: at subscription, the host must be a browser push service by name (no DNS look-up,
 * the server may be offline); at send time, the name must resolve to public addresses only, and
 * the connection goes to the address that was checked (no second look-up a rebinding DNS could
 * answer differently).
 */

/**
 * The push services of the browsers in use (PUSH_ALLOWED_HOSTS replaces the list): Chrome and the
 * Chromium browsers on FCM (`android.googleapis.com` for subscriptions from the GCM years; not all of
 * `*.googleapis.com`, which also hosts anyone's storage buckets), Firefox (autopush), Safari (APNs
 * web push), Edge (WNS).
 */
export const DEFAULT_PUSH_ALLOWED_HOSTS: readonly string[] = [
  'fcm.googleapis.com',
  'android.googleapis.com',
  'updates.push.services.mozilla.com',
  '*.push.services.mozilla.com',
  '*.push.apple.com',
  '*.notify.windows.com',
];

/** `a.example.com` or `*.example.com` (any subdomain, not the bare name); lower case, no port. */
const hostPattern = /^(\*\.)?([a-z0-9-]+\.)*[a-z0-9-]+$/;

/** PUSH_ALLOWED_HOSTS: comma-separated host patterns; empty or unset keeps the default list. */
export function parsePushAllowedHosts(value: string | undefined): string[] {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  for (const entry of entries) {
    if (!hostPattern.test(entry)) throw new Error(`PUSH_ALLOWED_HOSTS: "${entry}" is not a host name`);
  }
  return entries.length > 0 ? entries : [...DEFAULT_PUSH_ALLOWED_HOSTS];
}

function hostAllowed(host: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) =>
    pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern,
  );
}

/** An address literal of a URL host (`[::1]` → `::1`), or null for a name. */
function ipLiteralOf(hostname: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) ? ipaddr.parse(bare) : null;
}

/**
 * Public unicast only: ipaddr.js names every special range (loopback, private, link-local,
 * carrier-grade NAT, multicast, broadcast, unspecified, reserved, unique local, IPv4-mapped, NAT64,
 * 6to4, Teredo …); anything but `unicast` is refused. An IPv4-mapped IPv6 address counts as
 * `ipv4Mapped`, so it is refused whatever it maps to. Loopback passes only when the operator
 * opted in for a local test push service.
 */
export function isAllowedPushAddress(address: string, allowLoopback: boolean): boolean {
  if (!ipaddr.isValid(address)) return false;
  const range = ipaddr.parse(address).range();
  return range === 'unicast' || (allowLoopback && range === 'loopback');
}

type EndpointConfig = Pick<Config, 'pushAllowedHosts' | 'allowLoopbackPushEndpoints'>;

/** Why an endpoint is refused, as the field code of the 400; null when it may be used. */
export type PushEndpointProblem = 'push_endpoint_invalid' | 'push_endpoint_not_allowed';

/**
 * The subscription-time gate, by the URL alone: https (RFC 8030 §8) without credentials, a host of
 * the allow-list, the default port. An address literal (`https://10.0.0.1/`, `https://2130706433/`,
 * which the URL parser turns into `127.0.0.1`) is no push service; only with
 * PUSH_ALLOW_LOOPBACK a loopback literal may stand in for one (http and any port allowed there).
 */
export function pushEndpointProblem(config: EndpointConfig, endpoint: string): PushEndpointProblem | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'push_endpoint_invalid';
  }
  if (url.username || url.password) return 'push_endpoint_invalid';
  const literal = ipLiteralOf(url.hostname);
  const localTest =
    config.allowLoopbackPushEndpoints &&
    (url.hostname === 'localhost' || (literal !== null && literal.range() === 'loopback'));
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && localTest)) return 'push_endpoint_invalid';
  if (literal && !localTest) return 'push_endpoint_not_allowed';
  if (url.port !== '' && !localTest) return 'push_endpoint_not_allowed';
  return hostAllowed(url.hostname, config.pushAllowedHosts) ? null : 'push_endpoint_not_allowed';
}

/** What `dns.lookup(name, { all: true })` gives; tests inject their own answers. */
export interface ResolvedAddress {
  address: string;
  family: number;
}
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: HostResolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** The endpoint may never be used: the device is removed instead of retried. */
export class PushDestinationRefused extends Error {}

/** Checks a host at send time and names the one address to connect to. */
export type PushDestination = (hostname: string) => Promise<ResolvedAddress>;

/**
 * The send-time gate. Every address the name resolves to must be allowed (a public one beside a
 * private one is the classic rebinding trick); the first is the one to connect to. Look-ups are
 * shared per gate, so one fan-out asks once per push service. A failing look-up is a transient
 * error (retried), not a refusal.
 */
export function pushDestination(resolve: HostResolver, allowLoopback: boolean): PushDestination {
  const checked = new Map<string, Promise<ResolvedAddress>>();
  const check = async (hostname: string): Promise<ResolvedAddress> => {
    const literal = ipLiteralOf(hostname);
    const addresses = literal
      ? [{ address: literal.toString(), family: literal.kind() === 'ipv6' ? 6 : 4 }]
      : await resolve(hostname);
    if (addresses.length === 0) throw new Error(`no address for ${hostname}`);
    const refused = addresses.find((a) => !isAllowedPushAddress(a.address, allowLoopback));
    if (refused) throw new PushDestinationRefused(`${hostname} resolves to ${refused.address}`);
    return addresses[0]!;
  };
  return (hostname) => {
    let pending = checked.get(hostname);
    if (!pending) {
      pending = check(hostname);
      checked.set(hostname, pending);
    }
    return pending;
  };
}
