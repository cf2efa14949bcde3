import type { Category, Entry } from './types.js';

/** Entries by category, in content order; each category's pages in the order its entries name them. */
export function groupCategories(entries: readonly Entry[]): Category[] {
  const byName = new Map<string, { category: Category; pages: Set<string> }>();
  for (const entry of entries) {
    let group = byName.get(entry.category);
    if (!group) {
      group = { category: { name: entry.category, pages: [], entries: [] }, pages: new Set() };
      byName.set(entry.category, group);
    }
    group.category.entries.push(entry);
    // A Set, not `pages.includes`: a category spread over many pages stays linear.
    if (!group.pages.has(entry.page)) {
      group.pages.add(entry.page);
      group.category.pages.push(entry.page);
    }
  }
  return [...byName.values()].map((g) => g.category);
}
