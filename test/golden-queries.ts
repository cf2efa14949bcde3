/**
 * A fixed set of queries for a catalog, drawn from its own titles, words and categories with a
 * fixed seed: what members type (exact titles, first keystrokes, words, typos, several words,
 * phrases, quoted phrases, a category, nonsense, whole titles typed with typos). The golden
 * ranking test records what the search answers to each, so a change to the index that moves a
 * result shows up as a diff.
 */
import { Prng } from '../bench/generate-catalog.js';
import type { Catalog } from '../src/catalog/types.js';
import { wordsOf } from '../src/text.js';

export interface GoldenQuery {
  query: string;
  /** A category name as a member would type it (its first word, lower case). */
  category?: string;
}

const NONSENSE = ['zzqxv', 'qwpoeiru', 'xkcdqj blorfle', 'vvvzzzwq', 'qzxj wpvk mmrt', 'the of and'];

/** One typing mistake in a word: a letter dropped, two swapped, one doubled or one replaced. */
function misspell(word: string, rng: Prng): string {
  const i = rng.int(1, Math.max(1, word.length - 2));
  switch (rng.int(0, 3)) {
    case 0:
      return word.slice(0, i) + word.slice(i + 1);
    case 1:
      return word.slice(0, i - 1) + word.charAt(i) + word.charAt(i - 1) + word.slice(i + 1);
    case 2:
      return word.slice(0, i) + word.charAt(i) + word.slice(i);
    default:
      return word.slice(0, i) + String.fromCharCode(97 + rng.int(0, 25)) + word.slice(i + 1);
  }
}

export function goldenQueries(catalog: Catalog, seed: number): GoldenQuery[] {
  const rng = new Prng(seed);
  const entries = catalog.entries;
  const entry = () => rng.pick(entries);
  const titleWords = entries.flatMap((e) => wordsOf(e.title)).filter((w) => w.length >= 3);
  const allWords = entries.flatMap((e) => wordsOf(`${e.title} ${e.description}`)).filter((w) => w.length >= 3);
  const out: GoldenQuery[] = [];
  const add = (query: string, category?: string) => {
    if (query.trim() !== '' && !out.some((q) => q.query === query && q.category === category)) {
      out.push(category === undefined ? { query } : { query, category });
    }
  };

  for (let i = 0; i < 20; i++) add(entry().title);
  for (let i = 0; i < 24; i++) add(rng.pick(titleWords).slice(0, 1 + (i % 4)));
  for (let i = 0; i < 20; i++) add(rng.pick(allWords));
  const long = allWords.filter((w) => w.length >= 5);
  for (let i = 0; i < 20; i++) add(misspell(rng.pick(long), rng));
  for (let i = 0; i < 20; i++) {
    // Words of one entry, or of two unrelated ones (often nothing has both).
    const words = wordsOf(`${entry().title} ${entry().description}`);
    const count = 2 + (i % 3);
    const picked = i % 4 === 3 ? [rng.pick(allWords), rng.pick(allWords)] : Array.from({ length: count }, () => rng.pick(words));
    add(picked.filter(Boolean).join(' '));
  }
  for (let i = 0; i < 20; i++) {
    const words = wordsOf(rng.chance(0.5) ? entry().title : entry().description);
    if (words.length < 2) continue;
    const length = Math.min(words.length, 2 + (i % 2));
    const start = rng.int(0, words.length - length);
    const phrase = words.slice(start, start + length).join(' ');
    // Plain, closed quotes among other words, alone, or still being typed (no closing quote).
    const forms = [phrase, `"${phrase}"`, `${rng.pick(titleWords)} “${phrase}”`, `"${phrase.slice(0, -1)}`];
    add(forms[i % forms.length] ?? phrase);
  }
  for (let i = 0; i < 12; i++) {
    const e = entry();
    const category = wordsOf(e.category)[0];
    const word = rng.pick(
      wordsOf(`${e.title} ${e.description}`)
        .filter((w) => w.length >= 3)
        .concat(['link']),
    );
    if (category !== undefined) add(i % 3 === 0 ? word.slice(0, 3) : word, category);
  }
  for (const q of NONSENSE) add(q);
  // Whole titles of four or more words typed with typos: the slowest queries to answer.
  const longTitles = entries.map((e) => e.title).filter((t) => wordsOf(t).length >= 4);
  const sources = longTitles.length >= 20 ? longTitles : entries.map((e) => e.description).filter((d) => wordsOf(d).length >= 4);
  for (let i = 0; i < 24 && sources.length > 0; i++) {
    const words = rng.pick(sources).split(/\s+/).slice(0, 10);
    add(words.map((w) => (w.length >= 4 && rng.chance(0.6) ? misspell(w, rng) : w)).join(' '));
  }
  return out;
}
