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
  const m = pattern.length;
  let previous = Array.from({ length: m + 1 }, (_, i) => i);
  for (let j = 1; j <= text.length; j++) {
    const current = [0];
    for (let i = 1; i <= m; i++) {
      const cost = pattern.charCodeAt(i - 1) === text.charCodeAt(j - 1) ? 0 : 1;
      current[i] = Math.min((previous[i] ?? 0) + 1, (current[i - 1] ?? 0) + 1, (previous[i - 1] ?? 0) + cost);
    }
    if ((current[m] ?? max + 1) <= max) return true;
    previous = current;
  }
  return false;
}

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function bigramsOf(word: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 1 < word.length; i++) out.add(word.slice(i, i + 2));
  return out;
}

/** Words shorter than this must occur as typed: one typo in "kube" is "tube". */
const MIN_FUZZY_WORD = 5;

export class TokenPrefilter {
  /** Every indexed word (and joined title-word pair), sorted, for prefix ranges by binary search. */
  private readonly vocabulary: string[];
  /** Documents of each vocabulary word, by the word's position in `vocabulary`. */
  private readonly postings: number[][];
  private readonly positions = new Map<string, number>();
  /** Vocabulary positions of the words containing each two-letter sequence. */
  private readonly bigrams = new Map<string, number[]>();
  /** Scratch counters, one per vocabulary word, reused by every query. */
  private readonly counts: Int32Array;

  constructor(docs: readonly TokenDoc[]) {
    const byToken = new Map<string, number[]>();
    docs.forEach((doc, index) => {
      const seen = new Set<string>([...doc.titleWords, ...doc.otherWords]);
      // "Node.js" is searched as "nodejs": joined neighbours of the title are words too.
      doc.titleWords.forEach((word, i) => {
        const next = doc.titleWords[i + 1];
        if (next !== undefined) seen.add(word + next);
      });
      for (const token of seen) {
        const list = byToken.get(token);
        if (list) list.push(index);
        else byToken.set(token, [index]);
      }
    });
    this.vocabulary = [...byToken.keys()].sort();
    this.postings = this.vocabulary.map((token, position) => {
      this.positions.set(token, position);
      for (const bigram of bigramsOf(token)) {
        const list = this.bigrams.get(bigram);
        if (list) list.push(position);
        else this.bigrams.set(bigram, [position]);
      }
      return byToken.get(token) ?? [];
    });
    this.counts = new Int32Array(this.vocabulary.length);
  }

  has(token: string): boolean {
    return this.positions.has(token);
  }

  /** Vocabulary positions of the words that start with `prefix`. */
  private startingWith(prefix: string): number[] {
    const out: number[] = [];
    for (let i = lowerBound(this.vocabulary, prefix); i < this.vocabulary.length; i++) {
      if (!(this.vocabulary[i] as string).startsWith(prefix)) break;
      out.push(i);
    }
    return out;
  }

  /**
   * Vocabulary positions of the words containing `word`, exactly or within the edits fuse would
   * forgive. A word within k edits keeps all but 2k of the pattern's two-letter sequences, so
   * counting shared sequences rules out almost every word before the exact check.
   */
  private containing(word: string, extraEdits = 0): number[] {
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
    const found: number[] = [];
    for (const position of touched) {
      const token = this.vocabulary[position] as string;
      if ((this.counts[position] ?? 0) >= needed && (token.includes(word) || (edits > 0 && occursWithin(word, token, edits))))
        found.push(position);
      this.counts[position] = 0;
    }
    return found;
  }

  /**
   * Documents with a word one edit further from `word` than search forgives, at most `cap`:
   * where "did you mean" looks when a search found nothing.
   */
  near(word: string, cap: number): number[] {
    return [...this.matchesOf(word, 1)].sort((a, b) => a - b).slice(0, cap);
  }

  /** The documents one query word can match. */
  private matchesOf(word: string, extraEdits = 0): Set<number> {
    const positions = word.length < 2 ? this.startingWith(word) : this.containing(word, extraEdits);
    const found = new Set<number>();
    for (const position of positions) for (const index of this.postings[position] ?? []) found.add(index);
    return found;
  }

  /**
   * Documents that may match every word (in one of its spellings: a typo and its correction), at
   * most `cap` of them, the ones `rank` puts first (lower is better) when there are more.
   */
  candidates(
    spellings: readonly (readonly string[])[],
    cap: number,
    rank: (index: number) => number,
    keep: (index: number) => boolean = () => true,
  ): number[] {
    if (spellings.length === 0) return [];
    const matchesOfAny = (forms: readonly string[]) => {
      const [first, ...others] = forms.map((form) => this.matchesOf(form));
      for (const other of others) for (const index of other) first?.add(index);
      return first ?? new Set<number>();
    };
    const sets = spellings.map(matchesOfAny).sort((a, b) => a.size - b.size);
    const [smallest, ...rest] = sets;
    const all = [...(smallest ?? [])].filter((index) => keep(index) && rest.every((set) => set.has(index)));
    if (all.length <= cap) return all.sort((a, b) => a - b);
    return all
      .map((index) => ({ index, rank: rank(index) }))
      .sort((a, b) => a.rank - b.rank || a.index - b.index)
      .slice(0, cap)
      .map((c) => c.index)
      .sort((a, b) => a - b);
  }
}
