import { MIN_FUZZY_WORD } from './query.js';

/**
 * Which documents can possibly match a query, found from a word index instead of a scan, so
 * fuse.js (which costs the same for every document it looks at) only scores the plausible ones.
 *
 * A document is a candidate when, for every query word, one of its words contains that word (a
 * member typing "kube", or "cobalt" inside "silkcobaltwave"), or contains it within the few edits
 * fuse's threshold forgives (a typo), as fuse itself would find it in the document's text. Two
 * neighbouring title words joined count as a word too ("nodejs" for "Node.js"). It is a superset:
 * fuse still decides what matches and how well.
 */

/** A document's words, per field; `title` is kept apart because title matches rank first. */
export interface TokenDoc {
  titleWords: readonly string[];
  otherWords: readonly string[];
}

/** fuse's threshold of 0.3 allows about 0.3 edits per pattern letter; the same here. */
export function allowedEdits(word: string): number {
  return word.length < 4 ? 0 : Math.floor(word.length * 0.3);
}

/**
 * Whether `pattern` occurs in `text` with at most `max` edits, anywhere in it (a typo inside a
 * longer name, as fuse finds it): Sellers' dynamic programme, where a match may start at any letter.
 */
export function occursWithin(pattern: string, text: string, max: number): boolean {
  return bestOccurrence(pattern, text, max) <= max;
}

/** The fewest edits with which `pattern` occurs somewhere in `text`, or `max + 1` when it needs more. */
export function bestOccurrence(pattern: string, text: string, max: number): number {
  if (text.includes(pattern)) return 0;
  const m = pattern.length;
  let best = max + 1;
  let previous = Array.from({ length: m + 1 }, (_, i) => i);
  for (let j = 1; j <= text.length; j++) {
    const current = [0];
    for (let i = 1; i <= m; i++) {
      const cost = pattern.charCodeAt(i - 1) === text.charCodeAt(j - 1) ? 0 : 1;
      current[i] = Math.min((previous[i] ?? 0) + 1, (current[i - 1] ?? 0) + 1, (previous[i - 1] ?? 0) + cost);
    }
    best = Math.min(best, current[m] ?? best);
    previous = current;
  }
  return best;
}

function bigramsOf(word: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 1 < word.length; i++) out.add(word.slice(i, i + 2));
  return out;
}

interface Matches {
  all: Set<number>;
  title: Set<number>;
  /** For each document, the fewest edits with which the word occurs in one of its words. */
  edits: Map<number, number>;
}

/** How many looked-up words are remembered. */
const RECENT_WORDS = 64;

export class TokenPrefilter {
  /** Every indexed word (and joined title-word pair), sorted, for prefix ranges by binary search. */
  private readonly vocabulary: string[];
  /** Documents of each vocabulary word, by the word's position in `vocabulary`. */
  private readonly postings: number[][];
  /** The same, for documents that have the word in their title. */
  private readonly titlePostings: number[][];
  /** Roughly each title's length, the tie-break when candidates must be cut. */
  private readonly titleLengths: Int32Array;
  private readonly positions = new Map<string, number>();
  /** Vocabulary positions of the words containing each two-letter sequence. */
  private readonly bigrams = new Map<string, number[]>();
  private readonly recent = new Map<string, Matches>();
  /** Scratch counters, one per vocabulary word, reused by every query. */
  private readonly counts: Int32Array;

  constructor(docs: readonly TokenDoc[]) {
    const byToken = new Map<string, { all: number[]; title: number[] }>();
    const post = (token: string, index: number, inTitle: boolean) => {
      let lists = byToken.get(token);
      if (!lists) byToken.set(token, (lists = { all: [], title: [] }));
      if (lists.all.at(-1) !== index) lists.all.push(index);
      if (inTitle && lists.title.at(-1) !== index) lists.title.push(index);
    };
    docs.forEach((doc, index) => {
      doc.titleWords.forEach((word, i) => {
        post(word, index, true);
        // "Node.js" is searched as "nodejs": joined neighbours of the title are words too.
        const next = doc.titleWords[i + 1];
        if (next !== undefined) post(word + next, index, true);
      });
      for (const word of doc.otherWords) post(word, index, false);
    });
    this.vocabulary = [...byToken.keys()].sort();
    this.postings = [];
    this.titlePostings = [];
    this.vocabulary.forEach((token, position) => {
      this.positions.set(token, position);
      for (const bigram of bigramsOf(token)) {
        const list = this.bigrams.get(bigram);
        if (list) list.push(position);
        else this.bigrams.set(bigram, [position]);
      }
      const lists = byToken.get(token);
      this.postings.push(lists?.all ?? []);
      this.titlePostings.push(lists?.title ?? []);
    });
    this.counts = new Int32Array(this.vocabulary.length);
    this.titleLengths = Int32Array.from(docs, (d) => d.titleWords.reduce((n, w) => n + w.length + 1, 0));
  }

  has(token: string): boolean {
    return this.positions.has(token);
  }

  /** Vocabulary positions of the words with this letter anywhere (a one-letter query, as fuse reads it). */
  private withLetter(letter: string): number[] {
    const out: number[] = [];
    this.vocabulary.forEach((token, i) => {
      if (token.includes(letter)) out.push(i);
    });
    return out;
  }

  /**
   * Vocabulary positions of the words containing `word`, exactly or within the edits fuse would
   * forgive. A word within k edits keeps all but 2k of the pattern's two-letter sequences, so
   * counting shared sequences rules out almost every word before the exact check.
   */
  private containing(word: string, extraEdits = 0): { position: number; edits: number }[] {
    const grams = bigramsOf(word);
    const edits = word.length >= MIN_FUZZY_WORD ? allowedEdits(word) + extraEdits : 0;
    const needed = Math.max(1, grams.size - 2 * edits);
    const touched: number[] = [];
    for (const gram of grams) {
      for (const position of this.bigrams.get(gram) ?? []) {
        if (this.counts[position] === 0) touched.push(position);
        this.counts[position] = (this.counts[position] ?? 0) + 1;
      }
    }
    const found: { position: number; edits: number }[] = [];
    for (const position of touched) {
      if ((this.counts[position] ?? 0) >= needed) {
        const distance = bestOccurrence(word, this.vocabulary[position] as string, edits);
        if (distance <= edits) found.push({ position, edits: distance });
      }
      this.counts[position] = 0;
    }
    return found;
  }

  /**
   * Documents with a word one edit further from `word` than search forgives, at most `cap`:
   * where "did you mean" looks when a search found nothing.
   */
  near(word: string, cap: number): number[] {
    return [...this.matchesOf(word, 1).all].sort((a, b) => a - b).slice(0, cap);
  }

  /**
   * The documents one query word can match, and those of them that have it in their title.
   * Remembered for the last few words: a member's keystrokes, and "did you mean" after a miss,
   * ask for the same words again.
   */
  private matchesOf(word: string, extraEdits = 0): Matches {
    const key = `${extraEdits}:${word}`;
    const cached = this.recent.get(key);
    if (cached) return cached;
    const found = this.lookUp(word, extraEdits);
    if (this.recent.size >= RECENT_WORDS) this.recent.delete(this.recent.keys().next().value as string);
    this.recent.set(key, found);
    return found;
  }

  private lookUp(word: string, extraEdits: number): Matches {
    const found = word.length < 2 ? this.withLetter(word).map((position) => ({ position, edits: 0 })) : this.containing(word, extraEdits);
    const all = new Set<number>();
    const title = new Set<number>();
    const edits = new Map<number, number>();
    for (const { position, edits: distance } of found) {
      for (const index of this.postings[position] ?? []) {
        all.add(index);
        if (distance < (edits.get(index) ?? Infinity)) edits.set(index, distance);
      }
      for (const index of this.titlePostings[position] ?? []) title.add(index);
    }
    return { all, title, edits };
  }

  /**
   * Documents that may match every word (in one of its spellings: a typo and its correction), at
   * most `cap` of them, the ones `rank` puts first (lower is better) when there are more.
   */
  candidates(spellings: readonly (readonly string[])[], cap: number, keep: (index: number) => boolean = () => true): number[] {
    if (spellings.length === 0) return [];
    const matchesOfAny = (forms: readonly string[]): Matches => {
      const found = forms.map((form) => this.matchesOf(form));
      if (found.length === 1 && found[0]) return found[0];
      const edits = new Map<number, number>();
      for (const f of found) for (const [index, d] of f.edits) if (d < (edits.get(index) ?? Infinity)) edits.set(index, d);
      return { all: new Set(found.flatMap((f) => [...f.all])), title: new Set(found.flatMap((f) => [...f.title])), edits };
    };
    const sets: Matches[] = [];
    for (const forms of spellings) {
      const matches = matchesOfAny(forms);
      // One word that matches nothing empties the whole query: the other words need no look-up.
      if (matches.all.size === 0) return [];
      sets.push(matches);
    }
    sets.sort((a, b) => a.all.size - b.all.size);
    const [smallest, ...rest] = sets;
    const all = [...(smallest?.all ?? [])].filter((index) => keep(index) && rest.every((set) => set.all.has(index)));
    if (all.length <= cap) return all.sort((a, b) => a - b);
    // Too many: keep those fuse will rank first: every word in the title, fewest edits, shorter title.
    const inTitle = (index: number) => sets.every((set) => set.title.has(index));
    const edits = (index: number) => sets.reduce((n, set) => n + (set.edits.get(index) ?? 0), 0);
    const key = (index: number) =>
      (inTitle(index) ? 0 : 100_000_000) + edits(index) * 100_000 + Math.min(this.titleLengths[index] ?? 0, 99_999);
    return all
      .map((index) => ({ index, key: key(index) }))
      .sort((a, b) => a.key - b.key || a.index - b.index)
      .slice(0, cap)
      .map((c) => c.index)
      .sort((a, b) => a - b);
  }
}
