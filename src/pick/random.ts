import { randomInt } from 'node:crypto';
import type { Entry } from '../catalog/types.js';

/** Returns an integer in [0, n). Injected in tests. */
export type RandomIndex = (n: number) => number;

export const cryptoRandomIndex: RandomIndex = (n) => randomInt(n);

/** Any one of the entries, each equally likely; undefined when there are none. */
export function pickRandom(entries: readonly Entry[], randomIndex: RandomIndex = cryptoRandomIndex): Entry | undefined {
  if (entries.length === 0) return undefined;
  return entries[randomIndex(entries.length)];
}
