import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/** Opaque, non-enumerable string ids (80 random bits). API ids are strings (API.md). */
export function newId(): string {
  const bytes = new Uint8Array(10);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}
