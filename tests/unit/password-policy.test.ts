import { describe, expect, it } from 'vitest';
import {
  checkPassword,
  defaultPasswordPolicy,
  passwordPolicyDto,
  resolvePasswordPolicy,
  type PasswordPolicy,
  type PersonalData,
} from '../../server/auth/password-policy.ts';

const policy = (overrides: Partial<PasswordPolicy>): PasswordPolicy => resolvePasswordPolicy(overrides);

describe('default policy (NIST SP 800-63B rev. 4, OWASP ASVS 5.0)', () => {
  const erika: PersonalData = {
    firstName: 'Erika',
    lastName: 'Mustermann',
    email: 'e.mustermann84@example.de',
  };
  const check = (password: string, personal: PersonalData = erika) =>
    checkPassword(password, defaultPasswordPolicy, personal);

  it('needs 12 to 128 characters and nothing else', () => {
    expect(check('quiet harbor')).toEqual([]); // 12, lower case and a space only: fine
    expect(check('quiet harbo')).toEqual(['password_too_short']);
    expect(check('a'.repeat(64) + 'b'.repeat(64))).toEqual([]);
    expect(check('a'.repeat(65) + 'b'.repeat(64))).toEqual(['password_too_long']);
  });

  it('counts Unicode code points after NFC, not UTF-16 units or bytes', () => {
    expect(check('🏠🔑🏠🔑🏠🔑🏠🔑🏠🔑🏠🔑')).toEqual([]); // 12 code points, 24 UTF-16 units
    expect(check('🏠🔑🏠🔑🏠🔑🏠🔑🏠🔑🏠')).toEqual(['password_too_short']);
    const decomposed = 'cafe\u0301-au-lait'; // é as e + combining accent: 13 code points, 12 after NFC
    expect([...decomposed].length).toBe(13);
    expect(check(decomposed)).toEqual([]);
    expect(check('cafe\u0301-au-lai')).toEqual(['password_too_short']);
  });

  it('refuses common passwords, also with predictable decoration, compared in lower case', () => {
    expect(check('password1234')).toEqual(['password_common']);
    expect(check('PASSWORD1234')).toEqual(['password_common']);
    expect(check('Password1234!')).toEqual(['password_common']); // "password" plus digits and a symbol
    expect(check('!!iloveyou2026')).toEqual(['password_common']);
    expect(check('qwertyuiop123')).toEqual(['password_common']);
    expect(check('Quartz-Violin-Harbour-88')).toEqual([]);
  });

  it('refuses whole parts (≥ 3 characters) of first name, last name and e-mail local part, any case and accent', () => {
    expect(check('Mustermann#2026!')).toEqual(['password_personal']);
    expect(check('ich-bin-ERIKA-2026')).toEqual(['password_personal']);
    expect(check('Musterhaus-am-See')).toEqual([]); // shares "muster", but is not the name
    expect(check('Rosen-Garten-2026', { lastName: 'Rosén' })).toEqual(['password_personal']);
    expect(check('Müller-Garten-26', { lastName: 'MULLER' })).toEqual(['password_personal']);
    // The local part "e.mustermann84" splits into e, mustermann, 84: only "mustermann" is long enough.
    expect(check('e-84-Blumentopf!', { email: 'e.mustermann84@example.de' })).toEqual([]);
    // Short names (Ek, Li) and name particles (von, der) do not forbid half the dictionary.
    expect(check('Eklektisch-Gelb-7', { lastName: 'Ek' })).toEqual([]);
    expect(check('Wanderschuhe-Blau-9', { lastName: 'von der Heide' })).toEqual([]);
    expect(check('Heidekraut-Wiese-7', { lastName: 'von der Heide' })).toEqual(['password_personal']);
    // The domain is not personal in the default policy.
    expect(check('example-harbour-7', { email: 'x@example.de' })).toEqual([]);
  });

  it('lists every broken rule, most fundamental first', () => {
    const strict = policy({ minUppercase: 1, minDigits: 1, minSymbols: 1 });
    expect(checkPassword('erika', strict, erika)).toEqual([
      'password_too_short',
      'password_common', // "erika" is on the list as well
      'password_personal',
      'password_needs_uppercase',
      'password_needs_digits',
      'password_needs_symbols',
    ]);
  });

  it('counts letters of every script for upper and lower case', () => {
    const cased = policy({ minLength: 6, minUppercase: 2, minLowercase: 2 });
    expect(checkPassword('ÄÖäö-ÅåÉé', cased)).toEqual([]);
    expect(checkPassword('ÄÖ-1234', cased)).toEqual(['password_needs_lowercase']);
  });
});

describe('the three seed policies are configuration', () => {
  it('seed 000 (degewo): at least 9 characters, a digit, upper and lower case letters', () => {
    // "Ihr neues Passwort muss aus mindestens 9 Zeichen bestehen. Es muss mindestens eine Zahl
    // und Groß- und Kleinbuchstaben enthalten."
    const degewo = policy({ minLength: 9, minDigits: 1, minUppercase: 1, minLowercase: 1 });
    const tenant = { firstName: 'Max', lastName: 'Mustermann', email: 'max.m@example.de' };
    for (const ok of ['Balkon7Xy', 'Mietkonto7', 'Treppenhaus4Licht'])
      expect(checkPassword(ok, degewo, tenant), ok).toEqual([]);
    expect(checkPassword('Balkon7X', degewo, tenant)).toEqual(['password_too_short']);
    expect(checkPassword('balkonblume7', degewo, tenant)).toEqual(['password_needs_uppercase']);
    expect(checkPassword('BALKONBLUME7', degewo, tenant)).toEqual(['password_needs_lowercase']);
    expect(checkPassword('Balkonblume', degewo, tenant)).toEqual(['password_needs_digits']);
  });

  it('seed 002 (54er): 8 characters, upper, lower, two digits, no three characters in a row from surname or e-mail', () => {
    // "mindestens acht Zeichen … mindestens ein Großbuchstabe, ein Kleinbuchstabe sowie mindestens
    // zwei Ziffern. Zusätzlich dürfen nicht drei gleiche Zeichen aus Ihrem Nachnamen bzw. Ihrer
    // E-Mail-Adresse im Passwort enthalten sein."
    const wbg54 = policy({
      minLength: 8,
      minUppercase: 1,
      minLowercase: 1,
      minDigits: 2,
      maxPersonalRun: 2,
      personalFields: ['lastName', 'email'],
    });
    const member = { firstName: 'Karl', lastName: 'Schubert', email: 'k.schubert@web.de' };
    for (const ok of ['Garten42Zaun', 'Karlchen42X', 'Ubahn42Xy'])
      expect(checkPassword(ok, wbg54, member), ok).toEqual([]);
    expect(checkPassword('Schubert42x', wbg54, member)).toEqual(['password_personal']);
    expect(checkPassword('Hubraum42x', wbg54, member)).toEqual(['password_personal']); // "hub" from Schubert
    expect(checkPassword('Webcam42Xy', wbg54, member)).toEqual(['password_personal']); // "web" from the address
    expect(checkPassword('Garten4Zaun', wbg54, member)).toEqual(['password_needs_digits']);
    expect(checkPassword('garten42zaun', wbg54, member)).toEqual(['password_needs_uppercase']);
    expect(checkPassword('GARTEN42ZAUN', wbg54, member)).toEqual(['password_needs_lowercase']);
    expect(checkPassword('Gart42Z', wbg54, member)).toEqual(['password_too_short']);
  });

  it('seed 004 (Ernst Rosén): 8 characters, upper, lower, a digit and a non-alphanumeric character', () => {
    // "minst: 8 tecken, en stor bokstav, en liten bokstav, en siffra, ett icke alfanumerisk tecken"
    const rosen = policy({ minLength: 8, minUppercase: 1, minLowercase: 1, minDigits: 1, minSymbols: 1 });
    const company = { organisationName: 'Kaffebaren AB', email: 'info@kaffebaren.se' };
    for (const ok of ['Lokal#2024', 'Hyra!avi9', 'Gyllen krook 10'])
      expect(checkPassword(ok, rosen, company), ok).toEqual([]);
    expect(checkPassword('Lokal2024', rosen, company)).toEqual(['password_needs_symbols']);
    expect(checkPassword('lokal#2024', rosen, company)).toEqual(['password_needs_uppercase']);
    expect(checkPassword('LOKAL#2024', rosen, company)).toEqual(['password_needs_lowercase']);
    expect(checkPassword('Lokal#abc', rosen, company)).toEqual(['password_needs_digits']);
    expect(checkPassword('Lo#2a', rosen, company)).toEqual(['password_too_short']);
    expect(checkPassword('Kaffebaren#1', rosen, company)).toEqual(['password_personal']);
  });
});

describe('stored policy (settings.password_policy)', () => {
  it('merges a partial setting onto the default', () => {
    expect(resolvePasswordPolicy({ minDigits: 2 })).toEqual({ ...defaultPasswordPolicy, minDigits: 2 });
    expect(resolvePasswordPolicy(undefined)).toBe(defaultPasswordPolicy);
  });

  it('falls back to the default for anything invalid', () => {
    for (const stored of [
      { minLength: 0 },
      { minLength: 200 },
      { maxLength: 32 }, // NIST: at least 64 must be allowed
      { minLength: 100, maxLength: 64 },
      { minDigits: -1 },
      { minDigits: 1.5 },
      { unknownRule: true },
      { personalFields: ['shoeSize'] },
      'strong please',
      [1, 2, 3],
      42,
    ]) {
      expect(resolvePasswordPolicy(stored), JSON.stringify(stored)).toBe(defaultPasswordPolicy);
    }
  });

  it('shows the client what it needs to explain the rules', () => {
    expect(
      passwordPolicyDto(resolvePasswordPolicy({ minLength: 8, minDigits: 2, maxPersonalRun: 2 })),
    ).toEqual({
      minLength: 8,
      maxLength: 128,
      minLowercase: 0,
      minUppercase: 0,
      minDigits: 2,
      minSymbols: 0,
      maxPersonalRun: 2,
      blocksCommonPasswords: true,
    });
  });
});
