import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateSecureRandomString,
  hashSecret,
  issueToken,
  parseToken,
  secretMatches,
} from '../../server/auth/session-token.ts';

describe('session and mail tokens (Lucia guide)', () => {
  it('draws 24 characters from a 32-letter alphabet: 120 random bits per part', () => {
    const value = generateSecureRandomString();
    // 24 letters of an alphabet of 32 (5 bits each); the next test sees all 32 in use.
    expect(value).toMatch(/^[abcdefghijkmnpqrstuvwxyz23456789]{24}$/);
  });

  it('never repeats and uses the whole alphabet', () => {
    const seen = new Set<string>();
    const letters = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const value = generateSecureRandomString();
      seen.add(value);
      for (const ch of value) letters.add(ch);
    }
    expect(seen.size).toBe(2000);
    expect(letters.size).toBe(32);
  });

  it('issues `id.secret` and keeps only the SHA-256 of the secret', () => {
    const issued = issueToken();
    const parsed = parseToken(issued.token)!;
    expect(parsed.id).toBe(issued.id);
    expect(issued.secretHash).toHaveLength(32);
    expect(Buffer.from(hashSecret(parsed.secret)).equals(issued.secretHash)).toBe(true);
    // The stored value is the SHA-256 digest of the secret, computed here independently.
    expect(issued.secretHash.equals(createHash('sha256').update(parsed.secret).digest())).toBe(true);
  });

  it('matches the secret against the stored hash', () => {
    const issued = issueToken();
    const { secret } = parseToken(issued.token)!;
    expect(secretMatches(secret, issued.secretHash)).toBe(true);
    expect(secretMatches(generateSecureRandomString(), issued.secretHash)).toBe(false);
    expect(secretMatches(secret, new Uint8Array(32))).toBe(false);
    expect(secretMatches(secret, new Uint8Array(0))).toBe(false);
  });

  it('refuses anything not shaped like a token', () => {
    const good = issueToken().token;
    for (const bad of [
      undefined,
      null,
      '',
      'abc',
      good.replace('.', ''),
      `${good}.x`,
      good.toUpperCase(),
      good.replace(/^./, '0'),
      ` ${good}`,
      `${good.split('.')[0]}.`,
      `.${good.split('.')[1]}`,
    ]) {
      expect(parseToken(bad), String(bad)).toBeNull();
    }
    expect(parseToken(good)).not.toBeNull();
  });
});
