import { createHash } from 'node:crypto';
import { normalizeUrlText } from './links.js';

const ID_LENGTH = 8;

function idKey(normalizedUrl: string, category: string): string {
  return `${normalizedUrl}\n${category.toLowerCase()}`;
}

/**
 * Gives every entry an id from a hash of its normalised url and its category, so an id survives
 * restarts, edits elsewhere and moves between files. Two entries with the same url in the same
 * category get `-2`, `-3` in content order.
 */
export function assignIds<T extends { url: string; category: string }>(entries: readonly T[]): ({ id: string } & T)[] {
  const ids = entryIds(entries);
  // id first: it leads every entry in JSON output.
  return entries.map((entry, i) => ({ id: ids[i] as string, ...entry }));
}

/**
 * The ids `assignIds` gives, in order. `normalizedUrls` (each entry's `normalizeUrlText(url)`) saves
 * parsing every URL again when the caller has them already.
 */
export function entryIds(entries: readonly { url: string; category: string }[], normalizedUrls?: readonly string[]): string[] {
  // How many entries have taken each base id so far: one counter per base, so a thousand copies
  // of one link cost a thousand steps, not half a million.
  const taken = new Map<string, number>();
  return entries.map((entry, i) => {
    const url = normalizedUrls?.[i] ?? normalizeUrlText(entry.url);
    const base = createHash('sha256').update(idKey(url, entry.category)).digest('base64url').slice(0, ID_LENGTH);
    const n = (taken.get(base) ?? 0) + 1;
    taken.set(base, n);
    // Suffixed ids are longer than any base, so they cannot collide with another entry's base.
    return n === 1 ? base : `${base}-${n}`;
  });
}
