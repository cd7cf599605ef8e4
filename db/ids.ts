import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { randomFillSync } from 'node:crypto';

const idBytes = 10;
const poolIds = 512;
const pool = new Uint8Array(idBytes * poolIds);
let next = poolIds;

/**
 * Opaque, non-enumerable string ids (80 random bits). API ids are strings (API.md). The random
 * bytes are drawn for 512 ids at a time: one system call per id was a tenth of an ERP load that
 * writes two million rows.
 */
export function newId(): string {
  if (next === poolIds) {
    randomFillSync(pool);
    next = 0;
  }
  const start = next++ * idBytes;
  return encodeBase32LowerCaseNoPadding(pool.subarray(start, start + idBytes));
}
