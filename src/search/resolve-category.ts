import Fuse from 'fuse.js';
import type { Catalog, Category } from '../catalog/types.js';
import { fold } from '../text.js';
import { MIN_FUZZY_WORD, queryWords } from './query.js';
import { wordsOf } from '../text.js';
import { editsToPrefix } from './edit-distance.js';
import { allowedEdits } from './token-prefilter.js';

/**
 * Why no category was found: several names fit equally well (`dist`), some are spelled alike but
 * none clearly (`distibuted`), or nothing is close (`nope`).
 */
export type CategoryMiss = { reason: 'ambiguous' | 'misspelled' | 'unknown'; suggestions: string[] };

export type CategoryMatch = { found: true; category: Category } | ({ found: false } & CategoryMiss);

const MAX_SUGGESTIONS = 5;

/**
 * How many edits a name is from what was typed, when every typed word is the beginning of one of
 * its words within the edits search forgives; undefined when one is not. Words shorter than
 * MIN_FUZZY_WORD must be typed right: one edit away, "nope" is half the dictionary ("open").
 */
function spellingDistance(typed: readonly string[], nameWords: readonly string[]): number | undefined {
  let total = 0;
  for (const word of typed) {
    const max = word.length < MIN_FUZZY_WORD ? 0 : allowedEdits(word);
    const best = Math.min(...nameWords.map((n) => editsToPrefix(word, n, max)));
    if (best > max) return undefined;
    total += best;
  }
  return total;
}

/**
 * Finds the category a member means: the exact name, else the one name that starts with what
 * they typed, else the one whose words start with it, else the one closest by spelling. Several
 * equally good names are not guessed between, and a name nothing is close to matches nothing: a
 * wrong category is worse than none.
 */
export class CategoryResolver {
  private readonly fuse: Fuse<Category>;
  private readonly nameWords: string[][];

  constructor(private readonly catalog: Catalog) {
    this.fuse = new Fuse(catalog.categories, {
      keys: ['name'],
      threshold: 0.35,
      ignoreLocation: true,
      ignoreDiacritics: true,
      includeScore: true,
    });
    this.nameWords = catalog.categories.map((c) => wordsOf(c.name));
  }

  resolve(rawName: string): CategoryMatch {
    const { text } = queryWords(rawName);
    const wanted = fold(text);
    const categories = this.catalog.categories;
    const words = wordsOf(text);
    if (wanted === '' || words.length === 0) return { found: false, reason: 'unknown', suggestions: [] };

    const tiers: ((c: Category, i: number) => boolean)[] = [
      (c) => fold(c.name) === wanted,
      (c) => fold(c.name).startsWith(wanted),
      (_, i) => words.every((w) => (this.nameWords[i] ?? []).some((n) => n.startsWith(w))),
    ];
    for (const matches of tiers) {
      const found = categories.filter(matches);
      if (found.length === 1 && found[0]) return { found: true, category: found[0] };
      if (found.length > 1) return { found: false, reason: 'ambiguous', suggestions: found.slice(0, MAX_SUGGESTIONS).map((c) => c.name) };
    }
    const close = categories
      .map((category, i) => ({ category, i, edits: spellingDistance(words, this.nameWords[i] ?? []) }))
      .filter((c): c is { category: Category; i: number; edits: number } => c.edits !== undefined)
      .sort((a, b) => a.edits - b.edits || a.i - b.i);
    const [best, second] = close;
    if (!best) return { found: false, reason: 'unknown', suggestions: [] };
    // A clear winner by spelling: fewer edits than any other name.
    if (!second || best.edits < second.edits) return { found: true, category: best.category };
    return { found: false, reason: 'misspelled', suggestions: close.slice(0, MAX_SUGGESTIONS).map((c) => c.category.name) };
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
