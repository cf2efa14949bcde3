import { hash32 } from '../pick/hash.js';

/** Colours that read well on Discord's light and dark themes. */
const PALETTE = [0x5865f2, 0x57f287, 0xfee75c, 0xeb459e, 0xed4245, 0x3ba55c, 0xfaa61a, 0x00b0f4, 0x9b59b6, 0x1abc9c, 0xe67e22, 0x2ecc71];
export const BRAND_COLOR = 0x5865f2;
export const ERROR_COLOR = 0xed4245;
export const INFO_COLOR = 0x99aab5;

/** The same colour for a category on every message, every restart and every shard. */
export function categoryColor(name: string): number {
  return PALETTE[hash32(name.toLowerCase()) % PALETTE.length] ?? BRAND_COLOR;
}
