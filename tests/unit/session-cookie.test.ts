import fc from 'fast-check';
import { parse } from 'hono/utils/cookie';
import { describe, expect, it } from 'vitest';
import { sessionCookieName, sessionTokenOf } from '../../server/auth/cookies.ts';

/** What Hono's cookie parser answers: the reading `sessionTokenOf` must keep. */
const parsed = (header: string) => parse(header, sessionCookieName)[sessionCookieName];

describe('the session cookie from a raw Cookie header', () => {
  const token = 'abcdefghijkmnpqrstuvwxyz.23456789abcdefghijkmnp';

  it('finds the token among other cookies', () => {
    expect(sessionTokenOf(`${sessionCookieName}=${token}`)).toBe(token);
    expect(sessionTokenOf(`theme=dark; ${sessionCookieName}=${token}; other=1`)).toBe(token);
    expect(sessionTokenOf(`theme=dark;${sessionCookieName}=${token}`)).toBe(token);
    expect(sessionTokenOf('theme=dark')).toBeUndefined();
    expect(sessionTokenOf(undefined)).toBeUndefined();
    expect(sessionTokenOf('')).toBeUndefined();
  });

  it('reads unusual headers as the parser does', () => {
    for (const header of [
      `x=${sessionCookieName}=evil; ${sessionCookieName}=${token}`,
      `${sessionCookieName} =first; ${sessionCookieName}=second`,
      `${sessionCookieName}="${token}"`,
      `${sessionCookieName}=%E0%A4%A`,
      `${sessionCookieName}=a%20b`,
      `${sessionCookieName}= ${token} ; x=1`,
      `${sessionCookieName}=bad,value; ${sessionCookieName}=${token}`,
      `${sessionCookieName}=`,
      `${sessionCookieName}`,
      `${sessionCookieName}x=1; ${sessionCookieName}=${token}`,
      `my${sessionCookieName}=1; ${sessionCookieName}=${token}`,
      `\t${sessionCookieName}=${token}`,
      `${sessionCookieName}=UPPER`,
    ]) {
      expect(sessionTokenOf(header), header).toBe(parsed(header));
    }
  });

  it('agrees with the parser on any header made of cookie-ish pieces', () => {
    const piece = fc.constantFrom(
      sessionCookieName,
      `${sessionCookieName}=`,
      token,
      '=',
      ';',
      '; ',
      ' ',
      '\t',
      '"',
      '%',
      '%41',
      ',',
      'x',
      'my',
      'theme=dark',
      'A',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const header = pieces.join('');
        expect(sessionTokenOf(header)).toBe(header ? parsed(header) : undefined);
      }),
      { numRuns: 5000 },
    );
  });
});
