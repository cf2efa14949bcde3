import Fuse from 'fuse.js';
import type { Catalog, Category } from '../catalog/types.js';
import { fold } from '../text.js';
import { MIN_FUZZY_WORD, queryWords, wordsOf } from './query.js';

export type CategoryMatch = { found: true; category: Category } | { found: false; suggestions: string[] };

const MAX_SUGGESTIONS = 5;

/**
 * Finds the category a member means: the exact name, else the one name that starts with what
 * they typed, else the one whose words start with it, else the one closest by spelling.
 * Several equally good names are not guessed between: they come back as suggestions.
 */
export class CategoryResolver {
  private readonly fuse: Fuse<Category>;

  constructor(private readonly catalog: Catalog) {
    this.fuse = new Fuse(catalog.categories, {
      keys: ['name'],
      threshold: 0.35,
      ignoreLocation: true,
      ignoreDiacritics: true,
      includeScore: true,
    });
  }

  resolve(rawName: string): CategoryMatch {
    const { text } = queryWords(rawName);
    const wanted = fold(text);
    const categories = this.catalog.categories;
    if (wanted === '') return { found: false, suggestions: categories.slice(0, MAX_SUGGESTIONS).map((c) => c.name) };

    const words = wordsOf(text);
    const tiers: ((c: Category) => boolean)[] = [
      (c) => fold(c.name) === wanted,
      (c) => fold(c.name).startsWith(wanted),
      (c) => words.length > 0 && words.every((w) => wordsOf(c.name).some((n) => n.startsWith(w))),
    ];
    for (const matches of tiers) {
      const found = categories.filter(matches);
      if (found.length === 1 && found[0]) return { found: true, category: found[0] };
      if (found.length > 1) return { found: false, suggestions: found.slice(0, MAX_SUGGESTIONS).map((c) => c.name) };
    }
    const fuzzy = this.fuse.search(text).sort((a, b) => (a.score ?? 1) - (b.score ?? 1) || a.refIndex - b.refIndex);
    const [best, second] = fuzzy;
    // A clear winner by spelling: noticeably closer than the runner-up.
    if (best && (!second || (best.score ?? 1) + 0.1 < (second.score ?? 1))) return { found: true, category: best.item };
    return { found: false, suggestions: fuzzy.slice(0, MAX_SUGGESTIONS).map((r) => r.item.name) };
  }

  /** Category names for completion, best match first; all of them for an empty prefix. */
  complete(rawPrefix: string, limit = 25): string[] {
    const { text } = queryWords(rawPrefix);
    if (text === '') return this.catalog.categories.slice(0, limit).map((c) => c.name);
    const wanted = fold(text);
    const names = this.catalog.categories.map((c) => c.name);
    const starts = names.filter((n) => fold(n).startsWith(wanted));
    const words = wordsOf(text);
    const wordStarts = names.filter((n) => !starts.includes(n) && words.every((w) => wordsOf(n).some((x) => x.startsWith(w))));
    // Spelling matches only once a few letters are typed; before that almost anything is one typo away.
    const fuzzy = (text.length >= MIN_FUZZY_WORD ? this.fuse.search(text) : [])
      .map((r) => r.item.name)
      .filter((n) => !starts.includes(n) && !wordStarts.includes(n));
    return [...starts, ...wordStarts, ...fuzzy].slice(0, limit);
  }
}
