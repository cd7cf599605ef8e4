import { hash, timingSafeEqual } from 'node:crypto';

/**
 * Tokens per the Lucia guide (lucia-auth.com/sessions/basic): `<id>.<secret>`, both parts
 * 24 characters of a 32-letter alphabet = 120 random bits each. The id is the lookup key;
 * only SHA-256(secret) is stored, so a leaked database does not yield working tokens, and the
 * lookup by id plus a constant-time hash compare leaves no timing side channel on the secret.
 * Used for sessions and for the single-use tokens mailed out (verification, reset, e-mail change).
 */
const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789'; // no 0, 1, l, o: readable when copied by hand
const partLength = 24;
const tokenPattern = new RegExp(`^([${alphabet}]{${partLength}})\\.([${alphabet}]{${partLength}})$`);

export function generateSecureRandomString(): string {
  const bytes = new Uint8Array(partLength);
  crypto.getRandomValues(bytes);
  let out = '';
  // 256 / 32 = 8: the top five bits of each byte index the alphabet without modulo bias.
  for (const byte of bytes) out += alphabet[byte >> 3];
  return out;
}

/**
 * SHA-256 with node:crypto (OpenSSL): the pure-JS @oslojs/crypto hash showed up in the profile of
 * every authenticated request; same digest, a fraction of the CPU. The one-shot `hash` skips the
 * Hash object and its stream machinery of `createHash`. (A Buffer is a Uint8Array.)
 */
export function hashSecret(secret: string): Uint8Array {
  return hash('sha256', secret, 'buffer');
}

export interface IssuedToken {
  id: string;
  /** What the client holds (cookie value or link parameter); never stored. */
  token: string;
  /** What the database holds. */
  secretHash: Buffer;
}

export function issueToken(): IssuedToken {
  const id = generateSecureRandomString();
  const secret = generateSecureRandomString();
  return { id, token: `${id}.${secret}`, secretHash: Buffer.from(hashSecret(secret)) };
}

export interface ParsedToken {
  id: string;
  secret: string;
}

/** Null for anything not shaped like a token (so garbage never reaches the database). */
export function parseToken(token: string | undefined | null): ParsedToken | null {
  if (!token) return null;
  const match = tokenPattern.exec(token);
  if (!match) return null;
  return { id: match[1]!, secret: match[2]! };
}

/** Constant-time compare (Lucia guide); the length of a SHA-256 digest is no secret. */
export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  const computed = hashSecret(secret);
  return computed.byteLength === storedHash.byteLength && timingSafeEqual(computed, storedHash);
}
