import type { Entry } from '../catalog/types.js';
import type { LinkGroup } from './answer.js';

/** Groups links by category, keeping the order links came in: a group sits where its first link was. */
export function groupByCategory(entries: readonly Entry[]): LinkGroup[] {
  const groups = new Map<string, LinkGroup>();
  for (const entry of entries) {
    const group = groups.get(entry.category) ?? { category: entry.category, entries: [] };
    group.entries.push(entry);
    groups.set(entry.category, group);
  }
  return [...groups.values()];
}
