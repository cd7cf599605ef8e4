import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/**
 * A seeded PRNG (mulberry32, public domain) so the demo is the same on every reset:
 * same names, amounts and ids for the same date. Never use it for anything secret.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(0, items.length - 1)] as T;
    },
    chance: (probability) => next() < probability,
  };
}

/**
 * Ids shaped like db/ids.ts (80 bits, base32) but drawn from their own seeded stream, so demo URLs
 * stay stable across resets and adding content elsewhere does not shift them.
 */
export function createIdSource(seed: number): () => string {
  const random = createRandom(seed);
  return () => {
    const bytes = new Uint8Array(10);
    for (let index = 0; index < bytes.length; index++) bytes[index] = random.int(0, 255);
    return encodeBase32LowerCaseNoPadding(bytes);
  };
}
