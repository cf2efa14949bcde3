import { bestOccurrence, editDistance, hasPiece, piecesOf } from './edit-distance.js';
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

function bigramsOf(word: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 1 < word.length; i++) out.add(word.slice(i, i + 2));
  return out;
}

/** What a document's words have of a query word, as bits. */
export const IN_TITLE = 1;
/**
 * A word of the document starts with the query word (found as typed): what the ranking tiers
 * reward. A candidate keeps the bits every query word has (in one of its spellings): one without
 * TITLE_PREFIX has a query word that starts no word of its title, one without PREFIX a query word
 * that starts no word of it at all.
 */
export const PREFIX = 2;
export const TITLE_PREFIX = 4;

/**
 * The documents one query word can match, sorted by index, with for each the fewest edits with
 * which the word occurs in one of its words, and its IN_TITLE / PREFIX / TITLE_PREFIX bits.
 * Typed arrays, because a one-letter word matches nearly every document on each keystroke.
 */
interface Matches {
  docs: Int32Array;
  edits: Uint8Array;
  flags: Uint8Array;
  /**
   * The best `cap` of them, with their bits, once a one-word query has cut them (see `best`): the
   * same cut for the same matches, so a word remembered is not cut again on the next keystroke.
   */
  cut?: { cap: number; docs: number[]; flags: Uint8Array };
}

/** Edits no match has: "not found" in per-document scratch. */
const NONE = 255;

/**
 * Up to this many documents left by a long query's rarest word, its other words are checked in
 * those documents' own words rather than looked up in the vocabulary.
 */
const VERIFY_MAX = 256;

/** Title lengths below this are counted one by one when candidates are cut (see `countedCut`). */
const COUNTED_LENGTHS = 1024;

/** A query word as `narrowByWords` checks it: its two-letter sequences, the edits it forgives. */
interface WordCheck {
  form: string;
  grams: readonly string[];
  edits: number;
  /** The form cut into `edits + 1` pieces, one of which a word within `edits` has as it is (see `piecesOf`). */
  pieces: readonly string[];
  /** How many of `grams` a word within `edits` has at least (see `containing`). */
  needed: number;
}

/**
 * The fewest edits with which `check`'s word occurs in `token`, or NONE, exactly as `containing`
 * finds it in the vocabulary: as typed, or, when it forgives typos, in a word that shares enough
 * of its two-letter sequences and is within its edits.
 */
function occurrence(check: WordCheck, token: string): number {
  if (token.includes(check.form)) return 0;
  if (check.edits === 0 || !hasPiece(check.pieces, token)) return NONE;
  let shared = 0;
  for (const gram of check.grams) if (token.includes(gram)) shared++;
  if (shared < check.needed) return NONE;
  const edits = bestOccurrence(check.form, token, check.edits);
  return edits <= check.edits ? edits : NONE;
}

/** The index of `value` in the sorted `items[from…to)`, or -1. */
function indexOf(items: Uint32Array, from: number, to: number, value: number): number {
  let low = from;
  let high = to - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const at = items[mid] as number;
    if (at === value) return mid;
    if (at < value) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/**
 * The `count` smallest of `values` above `above`, in increasing order: a common word leaves tens
 * of thousands of candidates, of which only the best hundred are wanted.
 */
function smallest(values: Float64Array, count: number, above: number): Float64Array {
  if (count >= values.length) return values.filter((v) => v > above).sort();
  const best = new Float64Array(count);
  let kept = 0;
  for (const value of values) {
    if (value <= above || (kept === count && value >= (best[count - 1] as number))) continue;
    let at = kept < count ? kept++ : count - 1;
    while (at > 0 && (best[at - 1] as number) > value) {
      best[at] = best[at - 1] as number;
      at--;
    }
    best[at] = value;
  }
  return best.subarray(0, kept);
}

/** How many looked-up words are remembered. */
const RECENT_WORDS = 64;
/**
 * And how many documents their matches may hold together (9 bytes each): a few common words of
 * a large catalog would otherwise keep tens of megabytes.
 */
const RECENT_BUDGET_PER_DOC = 4;
const RECENT_MIN_BUDGET = 65_536;

/** A vocabulary word a query word can match: its position, the edits, and whether the query word starts it. */
interface Hit {
  position: number;
  edits: number;
  prefix: boolean;
}

/**
 * One query word (in its spellings) as the intersection reads it: its matches when they are
 * remembered, else the vocabulary words it matches, and how many documents those list.
 */
interface Plan {
  forms: readonly string[];
  matches: Matches | undefined;
  hits: Hit[];
  size: number;
}

const NO_MATCHES: Matches = { docs: new Int32Array(0), edits: new Uint8Array(0), flags: new Uint8Array(0) };

/**
 * Lists of numbers, one per key, in one typed array: list `k` is `items[starts[k]]` up to
 * `items[starts[k + 1]]`. A `number[]` per list costs its header and 8 bytes per number; this
 * costs 4 bytes per number and 4 per list.
 */
class PackedLists {
  constructor(
    readonly starts: Uint32Array,
    readonly items: Uint32Array,
  ) {}

  /** Lists given as an array of arrays, packed; the arrays can be dropped afterwards. */
  static of(lists: readonly (readonly number[])[]): PackedLists {
    const starts = new Uint32Array(lists.length + 1);
    let total = 0;
    lists.forEach((list, k) => {
      total += list.length;
      starts[k + 1] = total;
    });
    const items = new Uint32Array(total);
    lists.forEach((list, k) => items.set(list, starts[k]));
    return new PackedLists(starts, items);
  }

  list(k: number): Uint32Array {
    return this.items.subarray(this.starts[k], this.starts[k + 1]);
  }

  size(k: number): number {
    return (this.starts[k + 1] ?? 0) - (this.starts[k] ?? 0);
  }
}

/**
 * The documents of each vocabulary word, by position, from occurrences grouped by token id
 * (`grouped[firstOf[id]…firstOf[id + 1]]`, each `document << 1 | in title`, in document
 * order): every document once, or only those that have the word in their title.
 */
function packedPostings(idAt: Uint32Array, firstOf: Uint32Array, grouped: Uint32Array, titleOnly: boolean): PackedLists {
  const starts = new Uint32Array(idAt.length + 1);
  const items = new Uint32Array(grouped.length);
  let size = 0;
  idAt.forEach((id, position) => {
    let last = -1;
    for (let k = firstOf[id] as number, end = firstOf[id + 1] as number; k < end; k++) {
      const value = grouped[k] as number;
      const doc = value >>> 1;
      if (doc !== last && (!titleOnly || (value & 1) === 1)) {
        items[size++] = doc;
        last = doc;
      }
    }
    starts[position + 1] = size;
  });
  return new PackedLists(starts, items.slice(0, size));
}

/**
 * What a prefilter is made of, in typed arrays and string arrays only: what `parts()` gives and
 * `TokenPrefilter.fromParts` takes back, so it can be stored (v8.serialize) and not rebuilt.
 */
export interface PrefilterParts {
  docCount: number;
  vocabulary: string[];
  /** Each as [starts, items] (see PackedLists). */
  postings: [Uint32Array, Uint32Array];
  titlePostings: [Uint32Array, Uint32Array];
  bigramKeys: string[];
  bigrams: [Uint32Array, Uint32Array];
  isWord: Uint8Array;
  titleLengths: Int32Array;
}

/** Whether `value` holds parts of the right kinds and consistent sizes: stored data is checked, never trusted. */
export function arePrefilterParts(value: unknown): value is PrefilterParts {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  const packed = (v: unknown, lists: number, bound: number) =>
    Array.isArray(v) &&
    v.length === 2 &&
    v[0] instanceof Uint32Array &&
    v[1] instanceof Uint32Array &&
    v[0].length === lists + 1 &&
    v[0][0] === 0 &&
    v[0].every((start, k) => k === 0 || (start >= (v[0][k - 1] as number) && start <= v[1].length)) &&
    v[0][lists] === v[1].length &&
    v[1].every((item) => item < bound);
  if (typeof p.docCount !== 'number' || !strings(p.vocabulary) || !strings(p.bigramKeys)) return false;
  const words = p.vocabulary.length;
  return (
    packed(p.postings, words, p.docCount) &&
    packed(p.titlePostings, words, p.docCount) &&
    packed(p.bigrams, p.bigramKeys.length, words) &&
    p.isWord instanceof Uint8Array &&
    p.isWord.length === words &&
    p.titleLengths instanceof Int32Array &&
    p.titleLengths.length === p.docCount
  );
}

/** The prefilter's parts for these documents: the slow half of building a search index. */
function buildParts(docs: readonly TokenDoc[]): PrefilterParts {
  // Every (token, document, in title) occurrence, in document order, in growing typed arrays:
  // an array per token would be a hundred thousand small arrays for the collector to trace.
  const ids = new Map<string, number>();
  const isWordById: number[] = [];
  let tokenOf = new Uint32Array(1024);
  let docOf = new Uint32Array(1024);
  let titleOf = new Uint8Array(1024);
  let occurrences = 0;
  const post = (token: string, index: number, inTitle: boolean, word: boolean) => {
    let id = ids.get(token);
    if (id === undefined) {
      ids.set(token, (id = ids.size));
      isWordById.push(0);
    }
    if (word) isWordById[id] = 1;
    if (occurrences === tokenOf.length) {
      const grow = <T extends Uint32Array | Uint8Array>(from: T, to: T): T => (to.set(from), to);
      tokenOf = grow(tokenOf, new Uint32Array(occurrences * 2));
      docOf = grow(docOf, new Uint32Array(occurrences * 2));
      titleOf = grow(titleOf, new Uint8Array(occurrences * 2));
    }
    tokenOf[occurrences] = id;
    docOf[occurrences] = index;
    titleOf[occurrences] = inTitle ? 1 : 0;
    occurrences++;
  };
  docs.forEach((doc, index) => {
    doc.titleWords.forEach((word, i) => {
      post(word, index, true, true);
      // "Node.js" is searched as "nodejs": joined neighbours of the title are words too.
      const next = doc.titleWords[i + 1];
      if (next !== undefined) post(word + next, index, true, false);
    });
    for (const word of doc.otherWords) post(word, index, false, true);
  });
  const vocabulary = [...ids.keys()].sort();
  const idAt = Uint32Array.from(vocabulary, (token) => ids.get(token) ?? 0);
  // Occurrences grouped by token (a stable counting sort keeps document order within each).
  const firstOf = new Uint32Array(ids.size + 1);
  for (let k = 0; k < occurrences; k++) {
    const next = (tokenOf[k] as number) + 1;
    firstOf[next] = (firstOf[next] as number) + 1;
  }
  for (let id = 0; id < ids.size; id++) firstOf[id + 1] = (firstOf[id + 1] as number) + (firstOf[id] as number);
  const fill = firstOf.slice(0, ids.size);
  const grouped = new Uint32Array(occurrences);
  for (let k = 0; k < occurrences; k++) {
    const id = tokenOf[k] as number;
    const at = fill[id] as number;
    fill[id] = at + 1;
    grouped[at] = ((docOf[k] as number) << 1) | (titleOf[k] as number);
  }
  const postings = packedPostings(idAt, firstOf, grouped, false);
  const titlePostings = packedPostings(idAt, firstOf, grouped, true);
  const isWord = Uint8Array.from(idAt, (id) => isWordById[id] ?? 0);
  const byBigram: number[][] = [];
  const bigramKeys = new Map<string, number>();
  vocabulary.forEach((token, position) => {
    for (const bigram of bigramsOf(token)) {
      let key = bigramKeys.get(bigram);
      if (key === undefined) bigramKeys.set(bigram, (key = byBigram.push([]) - 1));
      byBigram[key]?.push(position);
    }
  });
  const bigrams = PackedLists.of(byBigram);
  return {
    docCount: docs.length,
    vocabulary,
    postings: [postings.starts, postings.items],
    titlePostings: [titlePostings.starts, titlePostings.items],
    bigramKeys: [...bigramKeys.keys()],
    bigrams: [bigrams.starts, bigrams.items],
    isWord,
    titleLengths: Int32Array.from(docs, (d) => d.titleWords.reduce((n, w) => n + w.length + 1, 0)),
  };
}

export class TokenPrefilter {
  /** Every indexed word (and joined title-word pair), sorted, for look-ups by binary search. */
  private readonly vocabulary: string[];
  /** Documents of each vocabulary word, by the word's position in `vocabulary`. */
  private readonly postings: PackedLists;
  /** The same, for documents that have the word in their title. */
  private readonly titlePostings: PackedLists;
  /** 1 for a word of some document, 0 for a joined pair of title words ("nodejs") only. */
  private readonly isWord: Uint8Array;
  /** Roughly each title's length, the tie-break when candidates must be cut. */
  private readonly titleLengths: Int32Array;
  /** Vocabulary positions of the words containing each two-letter sequence, by `bigramKeys`. */
  private readonly bigrams: PackedLists;
  private readonly bigramKeys = new Map<string, number>();
  private readonly recent = new Map<string, Matches>();
  private readonly recentHits = new Map<string, Hit[]>();
  /** How many documents the remembered matches hold together, kept under `recentBudget`. */
  private recentSize = 0;
  private readonly recentBudget: number;
  /** The matches of each one-letter word once asked for; at most 5 bytes per document per letter. */
  private readonly letters = new Map<string, Matches>();
  /** Edits of every document of a one-letter word's matches: none. */
  private readonly noEdits: Uint8Array;
  /** Scratch counters, one per vocabulary word, reused by every query. */
  private readonly counts: Int32Array;
  /**
   * Scratch per document, reused by every query: `seen[doc] === round` marks a document met in
   * the current look-up or intersection, with its edits and bits alongside, and `met` lists them.
   */
  private readonly seen: Int32Array;
  private readonly docEdits: Uint8Array;
  private readonly docFlags: Uint8Array;
  private readonly met: Int32Array;
  /** Scratch per document: its place in the list of documents a query has left. */
  private readonly slot: Uint32Array;
  private round = 0;

  /**
   * `docWords`: each document's words, as given to build the prefilter, for the documents a long
   * query has left (see `candidates`); without it, every word is looked up in the vocabulary.
   */
  constructor(
    source: readonly TokenDoc[] | PrefilterParts,
    private readonly docWords?: (index: number) => TokenDoc,
  ) {
    const parts = Array.isArray(source) ? buildParts(source) : (source as PrefilterParts);
    this.vocabulary = parts.vocabulary;
    this.postings = new PackedLists(...parts.postings);
    this.titlePostings = new PackedLists(...parts.titlePostings);
    parts.bigramKeys.forEach((gram, key) => this.bigramKeys.set(gram, key));
    this.bigrams = new PackedLists(...parts.bigrams);
    this.isWord = parts.isWord;
    this.titleLengths = parts.titleLengths;
    const docCount = parts.docCount;
    this.counts = new Int32Array(this.vocabulary.length);
    this.seen = new Int32Array(docCount);
    this.docEdits = new Uint8Array(docCount);
    this.docFlags = new Uint8Array(docCount);
    this.met = new Int32Array(docCount);
    this.slot = new Uint32Array(docCount);
    this.noEdits = new Uint8Array(docCount);
    this.recentBudget = Math.max(RECENT_MIN_BUDGET, RECENT_BUDGET_PER_DOC * docCount);
  }

  /** What this prefilter is made of, to store; the arrays are shared, not copied. */
  parts(): PrefilterParts {
    return {
      docCount: this.seen.length,
      vocabulary: this.vocabulary,
      postings: [this.postings.starts, this.postings.items],
      titlePostings: [this.titlePostings.starts, this.titlePostings.items],
      bigramKeys: [...this.bigramKeys.keys()],
      bigrams: [this.bigrams.starts, this.bigrams.items],
      isWord: this.isWord,
      titleLengths: this.titleLengths,
    };
  }

  /** The position of `token` in the vocabulary, or -1. */
  private positionOf(token: string): number {
    let low = 0;
    let high = this.vocabulary.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const at = this.vocabulary[mid] as string;
      if (at === token) return mid;
      if (at < token) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  has(token: string): boolean {
    return this.positionOf(token) >= 0;
  }

  /**
   * Vocabulary positions of the words that have at least `needed` of `grams`: the hottest loop of
   * a long query, indexed, on the packed arrays directly. (Counting only the shortest lists and
   * looking for the other grams in the words met was tried: looking into the strings of the
   * words met cost more than the counts it saved.)
   */
  private sharing(grams: ReadonlySet<string>, needed: number): number[] {
    const keys: number[] = [];
    for (const gram of grams) {
      const key = this.bigramKeys.get(gram);
      if (key !== undefined) keys.push(key);
    }
    const counts = this.counts;
    const { starts, items } = this.bigrams;
    // A word joins when its count reaches `needed`; the lists are read again to clear the
    // counts, cheaper than keeping every word met (tens of thousands for a common sequence).
    const out: number[] = [];
    for (const key of keys) {
      for (let k = starts[key] as number, end = starts[key + 1] as number; k < end; k++) {
        const position = items[k] as number;
        const count = (counts[position] as number) + 1;
        counts[position] = count;
        if (count === needed) out.push(position);
      }
    }
    for (const key of keys) {
      for (let k = starts[key] as number, end = starts[key + 1] as number; k < end; k++) counts[items[k] as number] = 0;
    }
    return out;
  }

  /** The vocabulary positions listed under the two-letter sequence `gram`. */
  private withBigram(gram: string): Uint32Array | undefined {
    const key = this.bigramKeys.get(gram);
    return key === undefined ? undefined : this.bigrams.list(key);
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
  private containing(word: string, extraEdits = 0): Hit[] {
    const grams = bigramsOf(word);
    const edits = word.length >= MIN_FUZZY_WORD ? allowedEdits(word) + extraEdits : 0;
    if (edits === 0) return this.containingExactly(word, grams);
    const needed = Math.max(1, grams.size - 2 * edits);
    const found: Hit[] = [];
    for (const position of this.sharing(grams, needed)) {
      const token = this.vocabulary[position] as string;
      const distance = bestOccurrence(word, token, edits);
      if (distance <= edits) found.push({ position, edits: distance, prefix: distance === 0 && token.startsWith(word) });
    }
    return found;
  }

  /**
   * The words that contain `word` as typed: every one of them is listed under each of its
   * two-letter sequences, so the shortest of those lists is the only one to read.
   */
  private containingExactly(word: string, grams: ReadonlySet<string>): Hit[] {
    let shortest: Uint32Array | undefined;
    for (const gram of grams) {
      const list = this.withBigram(gram);
      if (!list || list.length === 0) return [];
      if (!shortest || list.length < shortest.length) shortest = list;
    }
    const found: Hit[] = [];
    for (const position of shortest ?? []) {
      const token = this.vocabulary[position] as string;
      if (token.includes(word)) found.push({ position, edits: 0, prefix: token.startsWith(word) });
    }
    return found;
  }

  /**
   * The catalog's words closest to `word` as a whole, at most `max` edits away: what a member who
   * found nothing may have meant ("search" for "serch"). The fewest edits first, then the words
   * most documents have, then alphabetical order.
   */
  closestWords(word: string, max: number, limit: number): string[] {
    const grams = bigramsOf(word);
    // Each edit removes at most two of the word's two-letter sequences.
    const needed = Math.max(1, grams.size - 2 * max);
    const found: { token: string; edits: number; docs: number }[] = [];
    for (const position of this.sharing(grams, needed)) {
      const token = this.vocabulary[position] as string;
      if (this.isWord[position] === 1 && token !== word) {
        const edits = editDistance(word, token, max);
        if (edits <= max) found.push({ token, edits, docs: this.postings.size(position) });
      }
    }
    return found
      .sort((a, b) => a.edits - b.edits || b.docs - a.docs || (a.token < b.token ? -1 : 1))
      .slice(0, limit)
      .map((f) => f.token);
  }

  /**
   * Whether a search for one word (in its spellings) finds anything, where the index can tell
   * without fuse: false when no document can match it, true when a document's field has it as
   * typed (fuse scores that 0, the best), undefined when only typos of it are found (fuse decides
   * whether they are close enough). What "did you mean" asks of every word of a query.
   */
  findsAnything(forms: readonly string[]): boolean | undefined {
    let typos = false;
    for (const form of forms) {
      if (form.length < 2) {
        if (this.matchesOf(form).docs.length > 0) return true;
        continue;
      }
      for (const { position, edits } of this.hitsOf(form, 0)) {
        if (edits === 0 && this.isWord[position] === 1) return true;
        typos = true;
      }
    }
    return typos ? undefined : false;
  }

  /**
   * Documents with a word one edit further from `word` than search forgives, at most `cap`:
   * where "did you mean" looks when a search found nothing.
   */
  near(word: string, cap: number): number[] {
    return [...this.matchesOf(word, 1).docs.subarray(0, cap)];
  }

  /**
   * The documents one query word can match, and those of them that have it in their title.
   * Remembered for the last few words: a member's keystrokes, and "did you mean" after a miss,
   * ask for the same words again.
   */
  private matchesOf(word: string, extraEdits = 0): Matches {
    if (word.length === 1 && extraEdits === 0) {
      // A member's first keystroke: a few dozen letters, each matching most documents, so each
      // is looked up once and kept, an index rather than a cache.
      let matches = this.letters.get(word);
      if (!matches) {
        const found = this.lookUp(this.hitsOf(word, 0));
        // Nothing is forgiven in one letter: the edits are all 0, and need not be kept.
        this.letters.set(word, (matches = { ...found, edits: this.noEdits.subarray(0, found.docs.length) }));
      }
      return matches;
    }
    const key = `${extraEdits}:${word}`;
    const cached = this.recent.get(key);
    if (cached) return cached;
    const found = this.lookUp(this.hitsOf(word, extraEdits));
    this.recentSize += found.docs.length;
    this.recent.set(key, found);
    while (this.recent.size > RECENT_WORDS || (this.recentSize > this.recentBudget && this.recent.size > 1)) {
      const [oldest, matches] = this.recent.entries().next().value as [string, Matches];
      this.recent.delete(oldest);
      this.recentSize -= matches.docs.length;
    }
    return found;
  }

  /** The matches of `word` when they are remembered, without looking anything up. */
  private rememberedMatches(word: string): Matches | undefined {
    return word.length === 1 ? this.letters.get(word) : this.recent.get(`0:${word}`);
  }

  /**
   * The vocabulary words `word` can match, with their edits and whether `word` starts them: the
   * cheap half of a look-up (the other half reads their documents). Remembered for the last few
   * words, as a member's keystrokes ask for the same words again.
   */
  private hitsOf(word: string, extraEdits: number): Hit[] {
    const key = `${extraEdits}:${word}`;
    const cached = this.recentHits.get(key);
    if (cached) return cached;
    const hits =
      word.length < 2
        ? this.withLetter(word).map((position) => ({ position, edits: 0, prefix: (this.vocabulary[position] as string).startsWith(word) }))
        : this.containing(word, extraEdits);
    this.recentHits.set(key, hits);
    if (this.recentHits.size > RECENT_WORDS) this.recentHits.delete(this.recentHits.keys().next().value as string);
    return hits;
  }

  /**
   * `count` fresh marks for the per-document scratch arrays, the first returned; the arrays are
   * cleared only when the counter would wrap.
   */
  private nextRound(count = 1): number {
    if (this.round > 0x7fffffff - count) {
      this.seen.fill(0);
      this.round = 0;
    }
    const first = this.round + 1;
    this.round += count;
    return first;
  }

  /**
   * Records that `doc` matches in this round: the first time it joins `met` (at `size`, the
   * new size returned); after that it keeps the fewest edits and gains the bits.
   */
  private meet(round: number, size: number, doc: number, edits: number, flags: number): number {
    if (this.seen[doc] !== round) {
      this.seen[doc] = round;
      this.docEdits[doc] = edits;
      this.docFlags[doc] = flags;
      this.met[size] = doc;
      return size + 1;
    }
    if (edits < (this.docEdits[doc] ?? 0)) this.docEdits[doc] = edits;
    this.docFlags[doc] = (this.docFlags[doc] ?? 0) | flags;
    return size;
  }

  /** The `size` documents marked with `round`, in document order. */
  private marked(round: number, size: number): Int32Array {
    const out = new Int32Array(size);
    const seen = this.seen;
    for (let doc = 0, n = 0; n < size; doc++) if (seen[doc] === round) out[n++] = doc;
    return out;
  }

  /** `meet` for every document of one word's postings: the loop a common word runs tens of thousands of times. */
  private meetAll(round: number, size: number, lists: PackedLists, position: number, edits: number, flags: number): number {
    const { starts, items } = lists;
    const { seen, docEdits, docFlags, met } = this;
    for (let k = starts[position] ?? 0, end = starts[position + 1] ?? 0; k < end; k++) {
      const doc = items[k] as number;
      if (seen[doc] !== round) {
        seen[doc] = round;
        docEdits[doc] = edits;
        docFlags[doc] = flags;
        met[size++] = doc;
      } else {
        if (edits < (docEdits[doc] as number)) docEdits[doc] = edits;
        docFlags[doc] = (docFlags[doc] as number) | flags;
      }
    }
    return size;
  }

  /** The first `size` documents met in this round, sorted, with their scratch edits and bits. */
  private collect(size: number, round: number): Matches {
    // Many documents (a common word): reading the marks in document order beats sorting them.
    const sorted = size * 16 < this.seen.length ? this.met.slice(0, size).sort() : this.marked(round, size);
    const edits = new Uint8Array(size);
    const flags = new Uint8Array(size);
    for (let i = 0; i < size; i++) {
      const doc = sorted[i] as number;
      edits[i] = this.docEdits[doc] ?? 0;
      flags[i] = this.docFlags[doc] ?? 0;
    }
    return { docs: sorted, edits, flags };
  }

  private lookUp(hits: readonly Hit[]): Matches {
    if (hits.length === 0) return NO_MATCHES;
    const round = this.nextRound();
    let size = 0;
    for (const { position, edits, prefix } of hits) {
      size = this.meetAll(round, size, this.postings, position, edits, prefix ? PREFIX : 0);
      size = this.meetAll(round, size, this.titlePostings, position, edits, prefix ? IN_TITLE | TITLE_PREFIX : IN_TITLE);
    }
    return this.collect(size, round);
  }

  /**
   * Documents that may match every word (in one of its spellings: a typo and its correction) and
   * that `keep` keeps, at most `cap` of them, the ones `rank` puts first (lower is better) when there are more.
   */
  candidates(spellings: readonly (readonly string[])[], cap: number, keep?: (index: number) => boolean): number[] {
    if (spellings.length === 0) return [];
    if (spellings.length > 1 && this.docWords) return this.boundedCandidates(spellings, cap, keep, this.docWords);
    const plans: Plan[] = [];
    for (const forms of spellings) {
      const plan = this.planOf(forms);
      // One word that matches nothing empties the whole query: the other words need no look-up.
      if (plan.size === 0) return [];
      plans.push(plan);
    }
    plans.sort((a, b) => a.size - b.size);
    // Intersection, rarest word first: word n keeps the documents marked by word n - 1 and marks
    // them round + n, summing edits and keeping the bits all words share (a title that holds
    // every word). Only the rarest word's documents are read in full; a common word (tens of
    // thousands of documents in a large catalog) is only checked on the few that are left.
    const first = plans[0] as Plan;
    const { docs, edits, flags } = first.matches ?? this.matchesOfAny(first.forms);
    // One word (most keystrokes): its matches are the candidates, with their own edits and bits.
    if (plans.length === 1) return this.bestOfWord(first.matches ?? { docs, edits, flags }, cap, keep);
    let alive = this.startRounds(docs, edits, flags, plans.length);
    const round = this.round - plans.length + 1;
    for (let n = 1; n < plans.length && alive.length > 0; n++) {
      const plan = plans[n] as Plan;
      alive = plan.matches ? this.narrowByMatches(plan.matches, round + n) : this.narrowByHits(alive, plan.hits, round + n);
    }
    // Typed arrays on both paths, so that the loop over them stays monomorphic.
    return this.best(Int32Array.from(alive), this.docEdits, this.docFlags, true, cap, keep);
  }

  /**
   * `candidates` of several words, with work bounded by the rarest: a long query (a whole title,
   * typos and all) would otherwise expand every word's typos over the whole vocabulary, most of
   * its time in a large catalog. The word that seems rarest (fewest documents that have it as
   * typed) is looked up; once few documents are left, each other word is checked in their own
   * words, as the vocabulary look-up would find it there, so the candidates, their edits and
   * bits are the same.
   */
  private boundedCandidates(
    spellings: readonly (readonly string[])[],
    cap: number,
    keep: ((index: number) => boolean) | undefined,
    docWords: (index: number) => TokenDoc,
  ): number[] {
    const words = spellings.map((forms) => ({ forms, estimate: this.estimateOf(forms), plan: undefined as Plan | undefined }));
    // The estimates are rough ("act" is inside "actions" and "react" too): the word that seems
    // rarest is looked up, which tells its size, until the rarest is one looked up.
    let first: Plan | undefined;
    while (!first) {
      words.sort((a, b) => a.estimate - b.estimate);
      const rarest = words[0] as (typeof words)[number];
      if (rarest.plan) first = rarest.plan;
      else {
        rarest.plan = this.planOf(rarest.forms);
        // One word that matches nothing empties the whole query.
        if (rarest.plan.size === 0) return [];
        rarest.estimate = rarest.plan.size;
      }
    }
    const { docs, edits, flags } = first.matches ?? this.matchesOfAny(first.forms);
    // Plans that read documents go through the per-document scratch: made before the
    // intersection marks its documents there. The others only read the vocabulary.
    for (const word of words.slice(1)) {
      if (!word.plan && (word.forms.some((form) => form.length < 2) || word.forms.every((form) => this.rememberedMatches(form))))
        word.plan = this.planOf(word.forms);
    }
    let alive = this.startRounds(docs, edits, flags, words.length);
    const round = this.round - words.length + 1;
    // A query's words are read from each document left once, not once per word.
    const wordsOf = new Map<number, TokenDoc>();
    for (let n = 1; n < words.length && alive.length > 0; n++) {
      const { forms, plan: made } = words[n] as (typeof words)[number];
      if (alive.length <= VERIFY_MAX) {
        alive = this.narrowByWords(alive, forms, round + n, (doc) => {
          let found = wordsOf.get(doc);
          if (!found) wordsOf.set(doc, (found = docWords(doc)));
          return found;
        });
        continue;
      }
      const plan = made ?? this.planOf(forms);
      if (plan.size === 0) return [];
      alive = plan.matches ? this.narrowByMatches(plan.matches, round + n) : this.narrowByHits(alive, plan.hits, round + n);
    }
    return this.best(Int32Array.from(alive), this.docEdits, this.docFlags, true, cap, keep);
  }

  /**
   * How many documents have the word (in its spellings) as typed, roughly, without expanding its
   * typos: what orders a long query's words. A word that allows typos and is not found as typed
   * is likely a typo of a word many documents have, so it goes last.
   */
  private estimateOf(forms: readonly string[]): number {
    let total = 0;
    for (const form of forms) {
      const remembered = this.rememberedMatches(form);
      if (remembered) total += remembered.docs.length;
      else if (form.length < 2) total += this.seen.length;
      else {
        const position = this.positionOf(form);
        // Not a word of the catalog: a word that allows typos is likely a typo of a common one;
        // one that does not may match nothing, which its look-up tells at once.
        total += position >= 0 ? this.postings.size(position) : form.length >= MIN_FUZZY_WORD ? this.seen.length : 0;
      }
    }
    return total;
  }

  /**
   * Marks the documents of the first word of an intersection of `words` words, with their edits
   * and bits, in the first of `words` fresh rounds; the documents, in order.
   */
  private startRounds(docs: Int32Array, edits: Uint8Array, flags: Uint8Array, words: number): number[] {
    const round = this.nextRound(words);
    const { seen, docEdits, docFlags } = this;
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i] as number;
      docEdits[doc] = edits[i] as number;
      docFlags[doc] = flags[i] as number;
      seen[doc] = round;
    }
    return Array.from(docs);
  }

  /**
   * The documents of `alive` (marked `round - 1`) in one of whose words one of `forms` occurs
   * as the vocabulary look-up (`containing`) would find it there, marked `round`, with the
   * word's fewest edits added and its bits kept, as `narrowByHits` would.
   */
  private narrowByWords(alive: readonly number[], forms: readonly string[], round: number, wordsOf: (doc: number) => TokenDoc): number[] {
    const checks = forms.map((form) => {
      const grams = [...bigramsOf(form)];
      const edits = form.length >= MIN_FUZZY_WORD ? allowedEdits(form) : 0;
      return { form, grams, edits, pieces: piecesOf(form, edits), needed: Math.max(1, grams.length - 2 * edits) };
    });
    const { seen, docEdits, docFlags } = this;
    const next: number[] = [];
    for (const doc of alive) {
      const { titleWords, otherWords } = wordsOf(doc);
      let edits = NONE;
      let flags = 0;
      for (const check of checks) {
        const { form } = check;
        // Title words and neighbouring pairs joined ("nodejs"), as they were indexed.
        for (let i = 0; i < titleWords.length; i++) {
          const word = titleWords[i] as string;
          const next = titleWords[i + 1];
          for (const token of next === undefined ? [word] : [word, word + next]) {
            const found = occurrence(check, token);
            if (found === NONE) continue;
            if (found < edits) edits = found;
            flags |= found === 0 && token.startsWith(form) ? IN_TITLE | PREFIX | TITLE_PREFIX : IN_TITLE;
          }
        }
        for (const token of otherWords) {
          // Found as typed and starting a word: the other fields can add nothing more.
          if (edits === 0 && flags & PREFIX) break;
          const found = occurrence(check, token);
          if (found === NONE) continue;
          if (found < edits) edits = found;
          if (found === 0 && token.startsWith(form)) flags |= PREFIX;
        }
      }
      if (edits === NONE) continue;
      docEdits[doc] = (docEdits[doc] as number) + edits;
      docFlags[doc] = (docFlags[doc] as number) & flags;
      seen[doc] = round;
      next.push(doc);
    }
    return next;
  }

  /**
   * The bits (IN_TITLE, PREFIX, TITLE_PREFIX) every query word has in `doc`, one of the documents
   * the last `candidates` returned: what the ranking's tiers need not look for where they are not.
   */
  flagsOf(doc: number): number {
    return this.docFlags[doc] as number;
  }

  /** `best` of one word's matches; their cut is kept with them when there is no `keep`. */
  private bestOfWord(matches: Matches, cap: number, keep: ((index: number) => boolean) | undefined): number[] {
    const { docs, edits, flags } = matches;
    if (keep || docs.length <= cap) return this.best(docs, edits, flags, false, cap, keep);
    const cut = matches.cut;
    if (cut?.cap === cap) {
      for (let i = 0; i < cut.docs.length; i++) this.docFlags[cut.docs[i] as number] = cut.flags[i] as number;
      return cut.docs.slice();
    }
    const best = this.best(docs, edits, flags, false, cap, keep);
    matches.cut = { cap, docs: best.slice(), flags: Uint8Array.from(best, (doc) => this.docFlags[doc] as number) };
    return best;
  }

  /**
   * At most `cap` of `alive` (sorted by document) that `keep` keeps, the ones the ranking puts
   * first when there are more; their edits and bits in `edits` and `flags`, by document when
   * `byDoc`, else by position in `alive`. The bits of those returned are left in `docFlags` (see `flagsOf`).
   */
  private best(
    alive: Int32Array,
    edits: Uint8Array,
    flags: Uint8Array,
    byDoc: boolean,
    cap: number,
    keep: ((index: number) => boolean) | undefined,
  ): number[] {
    if (alive.length <= cap) {
      const out: number[] = [];
      for (let i = 0; i < alive.length; i++) {
        const doc = alive[i] as number;
        if (keep && !keep(doc)) continue;
        out.push(doc);
        if (!byDoc) this.docFlags[doc] = flags[i] as number;
      }
      return out;
    }
    // Too many: keep those the ranking puts first: words that start title words, then any words,
    // then every word in the title, fewest edits, shorter title, then document.
    if (!keep) {
      const counted = this.countedCut(alive, edits, flags, byDoc, cap);
      if (counted) return counted;
    }
    // The same key, then document, as one number (below 2^53 for any catalog under 27 million entries).
    const docCount = this.seen.length;
    const titleLengths = this.titleLengths;
    const values = new Float64Array(alive.length);
    for (let i = 0; i < alive.length; i++) {
      const doc = alive[i] as number;
      const at = byDoc ? doc : i;
      const bits = flags[at] as number;
      const rank = bits & TITLE_PREFIX ? 0 : bits & PREFIX ? 1 : bits & IN_TITLE ? 2 : 3;
      const key = rank * 100_000_000 + (edits[at] as number) * 100_000 + Math.min(titleLengths[doc] as number, 99_999);
      values[i] = key * docCount + doc;
    }
    if (!keep)
      return this.withFlags(
        Array.from(smallest(values, cap, -1), (value) => value % docCount).sort((a, b) => a - b),
        alive,
        flags,
        byDoc,
      );
    // `keep` (a phrase) is costly and a common pair of words leaves tens of thousands: it is asked
    // in the ranking's order, of growing batches of the best, until `cap` are kept.
    const out: number[] = [];
    let above = -1;
    for (let batch = cap; out.length < cap; batch *= 4) {
      const best = smallest(values, batch, above);
      for (const value of best) {
        const doc = value % docCount;
        if (keep(doc)) out.push(doc);
        if (out.length === cap) break;
      }
      if (best.length < batch) break;
      above = best[best.length - 1] as number;
    }
    return this.withFlags(
      out.sort((a, b) => a - b),
      alive,
      flags,
      byDoc,
    );
  }

  /** `docs` (some of `alive`), their bits left in `docFlags` when `flags` are by position in `alive`. */
  private withFlags(docs: number[], alive: Int32Array, flags: Uint8Array, byDoc: boolean): number[] {
    if (byDoc) return docs;
    for (const doc of docs) {
      // `alive` is sorted: the position of each by binary search, for the few kept.
      let low = 0;
      let high = alive.length - 1;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if ((alive[mid] as number) < doc) low = mid + 1;
        else high = mid;
      }
      this.docFlags[doc] = flags[low] as number;
    }
    return docs;
  }

  /**
   * `best` without `keep`, by counting rather than comparing (a one-letter keystroke leaves most
   * of the catalog): the documents of the better tiers (rank, then edits) are all kept, and of
   * the tier where the cut falls, those of the shorter titles, then the first documents. Undefined
   * when the cut falls among titles too long to count (then `best` compares).
   */
  private countedCut(alive: Int32Array, edits: Uint8Array, flags: Uint8Array, byDoc: boolean, cap: number): number[] | undefined {
    const titleLengths = this.titleLengths;
    const tierOf = new Uint16Array(alive.length);
    const perTier = new Int32Array(4 * 256);
    for (let i = 0; i < alive.length; i++) {
      const at = byDoc ? (alive[i] as number) : i;
      const bits = flags[at] as number;
      const rank = bits & TITLE_PREFIX ? 0 : bits & PREFIX ? 1 : bits & IN_TITLE ? 2 : 3;
      const tier = rank * 256 + (edits[at] as number);
      tierOf[i] = tier;
      perTier[tier] = (perTier[tier] as number) + 1;
    }
    let cut = 0;
    let wanted = cap;
    while ((perTier[cut] as number) < wanted) wanted -= perTier[cut++] as number;
    const perLength = new Int32Array(COUNTED_LENGTHS);
    for (let i = 0; i < alive.length; i++) {
      if (tierOf[i] !== cut) continue;
      const length = titleLengths[alive[i] as number] as number;
      if (length < COUNTED_LENGTHS) perLength[length] = (perLength[length] as number) + 1;
    }
    let longest = 0;
    while (longest < COUNTED_LENGTHS && (perLength[longest] as number) < wanted) wanted -= perLength[longest++] as number;
    if (longest === COUNTED_LENGTHS) return undefined;
    // In document order: of the titles as long as the longest kept, the first `wanted`.
    const out: number[] = [];
    for (let i = 0; i < alive.length; i++) {
      const tier = tierOf[i] as number;
      if (tier > cut) continue;
      const doc = alive[i] as number;
      if (tier === cut) {
        const length = titleLengths[doc] as number;
        if (length > longest || (length === longest && wanted-- <= 0)) continue;
      }
      out.push(doc);
      if (!byDoc) this.docFlags[doc] = flags[i] as number;
    }
    return out.sort((a, b) => a - b);
  }

  /** What the intersection needs to know of one word before reading any document. */
  private planOf(forms: readonly string[]): Plan {
    const remembered = forms.map((form) => this.rememberedMatches(form));
    if (remembered.every((m) => m !== undefined)) {
      const matches = remembered.length === 1 ? (remembered[0] as Matches) : this.matchesOfAny(forms);
      return { forms, matches, hits: [], size: matches.docs.length };
    }
    // One letter matches most of the vocabulary: its documents are read once and kept instead.
    if (forms.some((form) => form.length < 2)) {
      const matches = this.matchesOfAny(forms);
      return { forms, matches, hits: [], size: matches.docs.length };
    }
    const hits = forms.flatMap((form) => this.hitsOf(form, 0));
    let size = 0;
    for (const hit of hits) size += this.postings.size(hit.position);
    return { forms, matches: undefined, hits, size };
  }

  /** The documents left (marked `round - 1`) that `matches` has too, marked `round`. */
  private narrowByMatches(matches: Matches, round: number): number[] {
    const { seen, docEdits, docFlags } = this;
    const { docs, edits, flags } = matches;
    const next: number[] = [];
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i] as number;
      if (seen[doc] !== round - 1) continue;
      docEdits[doc] = (docEdits[doc] as number) + (edits[i] as number);
      docFlags[doc] = (docFlags[doc] as number) & (flags[i] as number);
      seen[doc] = round;
      next.push(doc);
    }
    return next;
  }

  /**
   * The documents of `alive` (marked `round - 1`) that one of `hits` lists, marked `round`, with
   * the word's fewest edits added and its bits kept: each list searched for the few documents
   * left, or read through when that is cheaper, but never collected into matches of its own.
   */
  private narrowByHits(alive: readonly number[], hits: readonly Hit[], round: number): number[] {
    const { seen, docEdits, docFlags } = this;
    // Per document of `alive`, this word's fewest edits (NONE: not found yet) and bits.
    const wordEdits = new Uint8Array(alive.length).fill(NONE);
    const wordFlags = new Uint8Array(alive.length);
    const probe = (lists: PackedLists, position: number, edits: number, flags: number) => {
      const { starts, items } = lists;
      const from = starts[position] as number;
      const to = starts[position + 1] as number;
      if (to === from) return;
      if (alive.length * Math.log2(to - from + 1) < to - from) {
        for (let a = 0; a < alive.length; a++) {
          if (indexOf(items, from, to, alive[a] as number) < 0) continue;
          if (edits < (wordEdits[a] as number)) wordEdits[a] = edits;
          wordFlags[a] = (wordFlags[a] as number) | flags;
        }
      } else {
        // Read through: `seen` says which documents are left, `slot` where each is in `alive`.
        for (let k = from; k < to; k++) {
          const doc = items[k] as number;
          if (seen[doc] !== round - 1) continue;
          const a = this.slot[doc] as number;
          if (edits < (wordEdits[a] as number)) wordEdits[a] = edits;
          wordFlags[a] = (wordFlags[a] as number) | flags;
        }
      }
    };
    alive.forEach((doc, a) => (this.slot[doc] = a));
    for (const { position, edits, prefix } of hits) {
      probe(this.postings, position, edits, prefix ? PREFIX : 0);
      probe(this.titlePostings, position, edits, prefix ? IN_TITLE | TITLE_PREFIX : IN_TITLE);
    }
    const next: number[] = [];
    alive.forEach((doc, a) => {
      const edits = wordEdits[a] as number;
      if (edits === NONE) return;
      docEdits[doc] = (docEdits[doc] as number) + edits;
      docFlags[doc] = (docFlags[doc] as number) & (wordFlags[a] as number);
      seen[doc] = round;
      next.push(doc);
    });
    return next;
  }

  /** The matches of a word given in several spellings (a typo and its corrections): their union. */
  private matchesOfAny(forms: readonly string[]): Matches {
    const found = forms.map((form) => this.matchesOf(form));
    if (found.length === 1) return found[0] ?? NO_MATCHES;
    const round = this.nextRound();
    let size = 0;
    for (const matches of found) {
      matches.docs.forEach((doc, i) => {
        size = this.meet(round, size, doc, matches.edits[i] ?? 0, matches.flags[i] ?? 0);
      });
    }
    return this.collect(size, round);
  }
}
