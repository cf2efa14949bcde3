import { createHash } from 'node:crypto';
import { normalizeUrl } from './links.js';

const ID_LENGTH = 8;

function idKey(url: string, category: string): string {
  let key: string;
  try {
    key = normalizeUrl(new URL(url));
  } catch {
    key = url;
  }
  return `${key}\n${category.toLowerCase()}`;
}

/**
 * Gives every entry an id from a hash of its normalised url and its category, so an id survives
 * restarts, edits elsewhere and moves between files. Two entries with the same url in the same
 * category get `-2`, `-3` in content order.
 */
export function assignIds<T extends { url: string; category: string }>(entries: readonly T[]): ({ id: string } & T)[] {
  const used = new Set<string>();
  return entries.map((entry) => {
    const hash = createHash('sha256').update(idKey(entry.url, entry.category)).digest('base64url');
    let id = hash.slice(0, ID_LENGTH);
    for (let n = 2; used.has(id); n++) id = `${hash.slice(0, ID_LENGTH)}-${n}`;
    used.add(id);
    // id first: it leads every entry in JSON output.
    return { id, ...entry };
  });
}
