import Fuse, { type Expression, type FuseResult, type IFuseOptions } from 'fuse.js';
import type { Catalog, Entry } from '../catalog/types.js';
import { displayHost } from '../catalog/links.js';
import { fold, wordsOf } from '../text.js';
import { MIN_FUZZY_WORD, parseQuery, queryWords, type Query } from './query.js';
import { bestOccurrence, editDistance } from './edit-distance.js';
import { FOUND_AS_TYPED, FUSE_MAX_PATTERN, FUSE_THRESHOLD, fieldScore, weighted } from './fuse-score.js';
import {
  allowedEdits,
  arePrefilterParts,
  PREFIX,
  TITLE_PREFIX,
  TokenPrefilter,
  type PrefilterParts,
  type TokenDoc,
} from './token-prefilter.js';

export interface IndexOptions {
  /**
   * Score only the documents a word index says can match (default). Off, fuse scans every
   * document: the baseline the benchmark compares against.
   */
  prefilter?: boolean;
}

export interface SearchOptions {
  /** An exact category name: only its entries are searched. */
  category?: string;
  /** At most this many hits (default 50). */
  limit?: number;
  /**
   * Whether a search that finds nothing looks for "did you mean" suggestions (default true).
   * Autocomplete shows no suggestions, and they cost several times the search itself.
   */
  suggest?: boolean;
}

export interface SearchResult {
  query: string;
  /** Best first. */
  hits: Entry[];
  /** When there is no hit: the closest category names, then titles. */
  suggestions: string[];
}

/**
 * What fuse scores: one entry's searched fields, folded. Built for the few candidates of each
 * query from the index's columns, not kept for every entry: objects per entry would be most of
 * the index's memory.
 */
interface Doc {
  entry: Entry;
  /** Position in the catalog: the last tie-break, so equal scores keep content order. */
  order: number;
  title: string;
  category: string;
  host: string;
  description: string;
}

const KEYS = [
  { name: 'title', weight: 3 },
  { name: 'category', weight: 1.5 },
  { name: 'host', weight: 1 },
  { name: 'description', weight: 1 },
] as const;

/**
 * threshold 0.3 keeps typos (one or two edits in a word) while nonsense finds nothing;
 * ignoreLocation lets a word late in a description count as much as an early one.
 */
const FUSE_OPTIONS: IFuseOptions<Doc> = {
  // Fuse reads the folded fields: it would otherwise strip accents from every field of every
  // candidate on every search, a quarter of its time. Queries are folded the same way.
  keys: KEYS.map((k) => ({ name: k.name, weight: k.weight, getFn: (doc: Doc) => doc[k.name] })),
  threshold: FUSE_THRESHOLD,
  ignoreLocation: true,
  includeScore: true,
  shouldSort: false,
  // Fuse's field-length norm favours short fields; a category name is shorter than any title and
  // would outrank a title that names the thing. The key weights say what matters instead.
  ignoreFieldNorm: true,
};

const SUGGESTION_THRESHOLD = 0.35;
const MAX_SUGGESTIONS = 5;
const SUGGESTION_OPTIONS: IFuseOptions<string> = { threshold: SUGGESTION_THRESHOLD, ignoreDiacritics: true, includeScore: true };
/** Titles scored for a one-word "did you mean". */
const SUGGESTION_POOL = 200;
const MAX_CATEGORY_SUGGESTIONS = 2;
/** A word this short that finds nothing is not corrected: too many words are a couple of edits from it. */
const MIN_CORRECTED_WORD = 4;
/** Past this many edits a "correction" is another word altogether ("processes" for "promethues"). */
const MAX_CORRECTION_EDITS = 3;
export const DEFAULT_LIMIT = 50;
/** Fuse scores at most this many candidates (about 9 µs each): the 100 hits /search can page through, and a bounded cost per keystroke. */
const MAX_CANDIDATES = 100;
/** Queries of words this short are ranked by the weights of the fields they are in (`weightScore`). */
const WEIGHTS_ONLY_LENGTH = 2;
/** Each key's weight as fuse uses it: divided by their sum, in the same order. */
const FUSE_WEIGHTS = (() => {
  let total = 0;
  for (const key of KEYS) total += key.weight;
  return KEYS.map((key) => key.weight / total);
})();

/** Each key's factor for a field that has the word as typed, the commonest: the same power, taken once. */
const AS_TYPED_FACTORS = FUSE_WEIGHTS.map((weight) => weighted(FOUND_AS_TYPED, weight));

/** What a query asks the ranking: its words in their spellings, as typed and as fuse reads them. */
interface Ranking {
  spellings: readonly string[][];
  /** Each word's first spelling: what the tiers look for. */
  words: readonly string[];
  foldedQuery: string;
  /** Words too short for typos: a document in the fuzzy tier must have each of them as typed. */
  shortWords: readonly string[];
  limit: number;
}

/** Fuse's expression for the query: every word must match somewhere (in any field); one word may match the title, another the host. */
function expressionOf(spellings: readonly string[][]): Expression {
  const anyForm = (forms: string[]): Expression => ({ $or: forms.flatMap((form) => KEYS.map((k) => ({ [k.name]: form }))) });
  return spellings.length === 1 ? anyForm(spellings[0] ?? []) : { $and: spellings.map(anyForm) };
}

interface Ranked {
  doc: Doc;
  tier: number;
  /** Fuse's score, or one that orders as it would; lower is better. */
  score: number;
}

/**
 * For words of one or two letters: the first keystrokes of an autocomplete. Fuse's score for
 * them only says which fields have them; the sum of those fields' weights orders the candidates
 * as fuse does, without running it.
 */
function weightScore(fields: readonly string[], spellings: readonly string[][]): number {
  let weight = 0;
  for (const forms of spellings) {
    for (let k = 0; k < KEYS.length; k++) {
      const field = fields[k] as string;
      if (forms.some((form) => field.includes(form))) weight += (KEYS[k] as (typeof KEYS)[number]).weight;
    }
  }
  return 1 / (1 + weight);
}

/**
 * Fuse's score for the query's expression, or undefined when fuse would not match: for each
 * spelling of each word, each field that matches it, in the order of the expression, the field's
 * score to the power of its key's weight, multiplied together (fuse's `computeScoreSingle`).
 */
function fuseScore(fields: readonly string[], spellings: readonly string[][]): number | undefined {
  let total = 1;
  for (const forms of spellings) {
    let found = false;
    for (const form of forms) {
      for (let k = 0; k < KEYS.length; k++) {
        const score = fieldScore(form, fields[k] as string);
        if (score === undefined) continue;
        found = true;
        total *= score === FOUND_AS_TYPED ? (AS_TYPED_FACTORS[k] as number) : weighted(score, FUSE_WEIGHTS[k] ?? 1);
      }
    }
    if (!found) return undefined;
  }
  return total;
}

/**
 * Words of a folded text: `wordsOf` without folding again. Plain ASCII, where letters and digits
 * are a-z, A-Z and 0-9, is cut in one pass without a regular expression: a long query splits
 * the fields of a few hundred documents.
 */
function splitFolded(folded: string): string[] {
  if (!ASCII.test(folded)) return folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i < folded.length; i++) {
    const code = folded.charCodeAt(i);
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90)) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      words.push(folded.slice(start, i));
      start = -1;
    }
  }
  if (start >= 0) words.push(folded.slice(start));
  return words;
}

/** Folding changes no character of plain ASCII that is already lower case. */
const ASCII = /^[\0-\x7f]*$/;

/** `wordsOf(text)` of a folded text, without folding it again where that changes nothing. */
function wordsOfFolded(folded: string): string[] {
  return ASCII.test(folded) ? splitFolded(folded) : wordsOf(folded);
}

/** Whether any searched field has `word` (which has no space: a field boundary cannot split it). */
function anyFieldHas(fields: readonly string[], word: string): boolean {
  return fields.some((field) => field.includes(word));
}

/** Letters and digits: what a word is made of (`wordsOf` splits on anything else). */
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

/** Whether a word of `field` starts at `at`: at the start, or after a character that is not a letter or digit. */
function startsWordAt(field: string, at: number): boolean {
  if (at === 0) return true;
  const code = field.charCodeAt(at - 1);
  if (code < 128) return !((code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90));
  // Outside ASCII the character before may be the second half of a surrogate pair.
  const from = code >= 0xdc00 && code <= 0xdfff && at >= 2 ? at - 2 : at - 1;
  return !LETTER_OR_DIGIT.test(field.slice(from, at));
}

/**
 * Whether a word of `field` starts with `word` (letters and digits only): what splitting the
 * field into words and asking each would say, without the split and its arrays on every keystroke.
 */
function hasWordStarting(field: string, word: string): boolean {
  for (let at = field.indexOf(word); at >= 0; at = field.indexOf(word, at + 1)) if (startsWordAt(field, at)) return true;
  return false;
}

/**
 * Ranking tiers, before fuse's score: a member who types a whole title, or the start of its
 * words, means that link, whatever fuse thinks of a longer description elsewhere. A document in
 * tiers 0-3 has every word in a field as typed, so fuse always matches it.
 */
function tierOf(fields: readonly string[], foldedQuery: string, words: readonly string[], bits = ALL_BITS): number {
  const title = fields[0] as string;
  if (title === foldedQuery) return 0;
  // The prefilter's bits say where no word can start: only where one may is it looked for.
  if (bits & TITLE_PREFIX && words.every((w) => hasWordStarting(title, w))) return title.startsWith(words[0] ?? '') ? 1 : 2;
  if (!(bits & PREFIX)) return FUZZY_TIER;
  return words.every((w) => fields.some((field) => hasWordStarting(field, w))) ? 3 : FUZZY_TIER;
}

/** Bits that rule nothing out: for documents the prefilter did not choose. */
const ALL_BITS = PREFIX | TITLE_PREFIX;

const FUZZY_TIER = 4;

/** The ranking's order: tier, fuse's score, title length, then catalog order. */
const byRank = (a: Ranked, b: Ranked) =>
  a.tier - b.tier || a.score - b.score || a.doc.entry.title.length - b.doc.entry.title.length || a.doc.order - b.doc.order;

/**
 * Whether one field of the document has the phrase's words next to each other, in order, each
 * exactly; the last may be the start of a word while its closing quote is not typed yet.
 */
function hasPhrase(doc: Doc, phrase: Query['phrases'][number]): boolean {
  const wanted = phrase.words;
  const last = wanted.length - 1;
  const matches = (word: string | undefined, j: number) =>
    word !== undefined && (word === wanted[j] || (phrase.open && j === last && word.startsWith(wanted[j] ?? '')));
  // Split on demand, not kept: a field's words would cost a fifth more index memory for phrases alone.
  return KEYS.some(({ name }) => {
    const field = doc[name];
    // Most fields lack a word of the phrase: ruled out before they are split into words.
    if (!wanted.every((w) => field.includes(w))) return false;
    const words = wordsOfFolded(field);
    for (let i = 0; i + wanted.length <= words.length; i++) {
      if (wanted.every((_, j) => matches(words[i + j], j))) return true;
    }
    return false;
  });
}
/**
 * Bumped whenever what an index holds, or how a field is folded and split, changes: a snapshot
 * of another version is rebuilt, not read.
 */
export const SNAPSHOT_VERSION = 1;

interface IndexSnapshot {
  version: number;
  entries: number;
  fingerprint: number;
  titles: string[];
  descriptions: string[];
  hosts: string[];
  hostOf: Uint32Array;
  categories: string[];
  categoryOf: Uint32Array;
  prefilter: PrefilterParts;
}

function isIndexSnapshot(value: unknown, entries: number): value is IndexSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  const strings = (v: unknown, length?: number): v is string[] =>
    Array.isArray(v) && (length === undefined || v.length === length) && v.every((x) => typeof x === 'string');
  const pointers = (v: unknown, bound: number) => v instanceof Uint32Array && v.length === entries && v.every((x) => x < bound);
  return (
    s.version === SNAPSHOT_VERSION &&
    s.entries === entries &&
    typeof s.fingerprint === 'number' &&
    strings(s.titles, entries) &&
    strings(s.descriptions, entries) &&
    strings(s.hosts) &&
    strings(s.categories) &&
    pointers(s.hostOf, s.hosts.length) &&
    pointers(s.categoryOf, s.categories.length) &&
    arePrefilterParts(s.prefilter) &&
    s.prefilter.docCount === entries
  );
}

/**
 * A 32-bit FNV-1a hash of every field the index reads, entry by entry: a snapshot of another
 * catalog with as many entries is told apart (a few tens of milliseconds at 100k entries).
 */
function fingerprintOf(catalog: Catalog): number {
  let hash = 0x811c9dc5;
  const add = (text: string) => {
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    hash = Math.imul(hash ^ 0xffff, 0x01000193);
  };
  for (const entry of catalog.entries) {
    add(entry.title);
    add(entry.url);
    add(entry.category);
    add(entry.description);
  }
  return hash >>> 0;
}

/** Shorter words have too many swapped neighbours that are real words ("form", "from"). */
const MIN_SWAP_WORD = 4;

export class SearchIndex {
  /** The searched fields of each entry, folded, by catalog position: columns, not an object per entry. */
  private readonly titles: string[];
  private readonly descriptions: string[];
  /** Hosts and category names repeat: each is folded and kept once, and entries point to it. */
  private readonly hostOf: Uint32Array;
  private readonly hosts: string[];
  private readonly categoryOf: Uint32Array;
  private readonly categories: string[];
  /**
   * Each entry's title length, the ranking's tie-break after the score: read from this column,
   * not from a hundred entries and their titles scattered over the heap on every keystroke.
   */
  private readonly titleLengthOf: Uint32Array;
  /** Without a prefilter (the benchmark's baseline), fuse over every entry. */
  private readonly fuse: Fuse<Doc> | undefined;
  private readonly categoryNames: Fuse<string>;
  /** Each category name in lower case when it is plain ASCII, else undefined (see `categoryHits`); made when first needed. */
  private loweredCategoryNames: (string | undefined)[] | undefined;
  /** Every word of every searched field, folded: what a swapped-letter typo is checked against. */
  private readonly vocabulary: { has(word: string): boolean };
  /** The same as a set, without a prefilter (the benchmark's baseline): what "did you mean" scans. */
  private readonly wordSet: Set<string> | undefined;
  private readonly prefilter: TokenPrefilter | undefined;
  private readonly titleList: Fuse<string> | undefined;

  /**
   * `restored`: the columns and prefilter of an index built before for the same catalog (see
   * `fromSnapshot`), used as they are instead of folding and indexing every entry again.
   */
  constructor(
    readonly catalog: Catalog,
    options: IndexOptions = {},
    restored?: IndexSnapshot,
  ) {
    this.titleLengthOf = Uint32Array.from(catalog.entries, (entry) => entry.title.length);
    if (restored) {
      ({ titles: this.titles, descriptions: this.descriptions, hosts: this.hosts, categories: this.categories } = restored);
      ({ hostOf: this.hostOf, categoryOf: this.categoryOf } = restored);
      this.prefilter = new TokenPrefilter(restored.prefilter, (i) => this.tokenDoc(i));
      this.fuse = undefined;
      this.wordSet = undefined;
      this.vocabulary = this.prefilter;
      this.categoryNames = new Fuse(
        catalog.categories.map((c) => c.name),
        SUGGESTION_OPTIONS,
      );
      this.titleList = undefined;
      return;
    }
    const entries = catalog.entries;
    const hostIds = new Map<string, number>();
    const categoryIds = new Map<string, number>();
    this.hosts = [];
    this.categories = [];
    this.hostOf = new Uint32Array(entries.length);
    this.categoryOf = new Uint32Array(entries.length);
    this.titles = [];
    this.descriptions = [];
    const tokenDocs: { titleWords: string[]; otherWords: string[] }[] = [];
    const words = (folded: string, into: string[]) => {
      for (const word of splitFolded(folded)) into.push(word);
    };
    entries.forEach((entry, i) => {
      const host = displayHost(entry.url);
      let hostId = hostIds.get(host);
      if (hostId === undefined) hostIds.set(host, (hostId = this.hosts.push(fold(host)) - 1));
      let categoryId = categoryIds.get(entry.category);
      if (categoryId === undefined) categoryIds.set(entry.category, (categoryId = this.categories.push(fold(entry.category)) - 1));
      this.hostOf[i] = hostId;
      this.categoryOf[i] = categoryId;
      const title = fold(entry.title);
      const description = fold(entry.description);
      this.titles.push(title);
      this.descriptions.push(description);
      // The prefilter's words: only while it is built.
      const otherWords: string[] = [];
      words(this.categories[categoryId] ?? '', otherWords);
      words(this.hosts[hostId] ?? '', otherWords);
      words(description, otherWords);
      tokenDocs.push({ titleWords: splitFolded(title), otherWords });
    });
    if (options.prefilter === false) {
      this.prefilter = undefined;
      this.fuse = new Fuse(
        entries.map((_, i) => this.doc(i)),
        FUSE_OPTIONS,
      );
      this.wordSet = new Set(tokenDocs.flatMap((d) => [...d.titleWords, ...d.otherWords]));
    } else {
      this.prefilter = new TokenPrefilter(tokenDocs, (i) => this.tokenDoc(i));
      this.fuse = undefined;
      this.wordSet = undefined;
    }
    this.vocabulary = this.prefilter ?? this.wordSet ?? new Set();
    this.categoryNames = new Fuse(
      catalog.categories.map((c) => c.name),
      SUGGESTION_OPTIONS,
    );
    // With a prefilter, title suggestions are scored among near candidates only (titleSuggestions).
    this.titleList = this.prefilter
      ? undefined
      : new Fuse(
          catalog.entries.map((e) => e.title),
          SUGGESTION_OPTIONS,
        );
  }

  /**
   * What this index is made of, as typed arrays and string arrays (v8.serialize or structured
   * clone can store it): `SearchIndex.fromSnapshot` rebuilds the index from it for the same
   * catalog in a fraction of the time. Undefined for an index without a prefilter.
   */
  snapshot(): unknown {
    if (!this.prefilter) return undefined;
    const snapshot: IndexSnapshot = {
      version: SNAPSHOT_VERSION,
      entries: this.catalog.entries.length,
      fingerprint: fingerprintOf(this.catalog),
      titles: this.titles,
      descriptions: this.descriptions,
      hosts: this.hosts,
      hostOf: this.hostOf,
      categories: this.categories,
      categoryOf: this.categoryOf,
      prefilter: this.prefilter.parts(),
    };
    return snapshot;
  }

  /**
   * The index `snapshot()` gave for this very catalog, or undefined when the snapshot is of
   * another version of linkdex, another catalog, or is not a snapshot at all: the caller then
   * builds the index anew, never answers from a wrong one.
   */
  static fromSnapshot(catalog: Catalog, snapshot: unknown): SearchIndex | undefined {
    try {
      if (!isIndexSnapshot(snapshot, catalog.entries.length)) return undefined;
      if (snapshot.fingerprint !== fingerprintOf(catalog)) return undefined;
      return new SearchIndex(catalog, {}, snapshot);
    } catch {
      return undefined;
    }
  }

  /** The words of the entry at `order` as the prefilter indexed them (see the constructor). */
  private tokenDoc(order: number): TokenDoc {
    const otherWords = splitFolded(this.categories[this.categoryOf[order] ?? 0] ?? '');
    for (const word of splitFolded(this.hosts[this.hostOf[order] ?? 0] ?? '')) otherWords.push(word);
    for (const word of splitFolded(this.descriptions[order] ?? '')) otherWords.push(word);
    return { titleWords: splitFolded(this.titles[order] ?? ''), otherWords };
  }

  /** Reused by `rankCandidates` for each candidate's fields (a search runs to its end before the next). */
  private readonly scratchFields: string[] = ['', '', '', ''];

  /** The searched fields of the entry at `order`, in KEYS order, written into `into`. */
  private fieldsAt(order: number, into: string[]): string[] {
    into[0] = this.titles[order] ?? '';
    into[1] = this.categories[this.categoryOf[order] ?? 0] ?? '';
    into[2] = this.hosts[this.hostOf[order] ?? 0] ?? '';
    into[3] = this.descriptions[order] ?? '';
    return into;
  }

  /** The entry at `order` as fuse scores it. */
  private doc(order: number): Doc {
    return {
      entry: this.catalog.entries[order] as Entry,
      order,
      title: this.titles[order] ?? '',
      category: this.categories[this.categoryOf[order] ?? 0] ?? '',
      host: this.hosts[this.hostOf[order] ?? 0] ?? '',
      description: this.descriptions[order] ?? '',
    };
  }

  search(rawQuery: string, options: SearchOptions = {}): SearchResult {
    const { text: query, words: typed, phrases } = parseQuery(rawQuery);
    const limit = Math.max(1, Math.floor(options.limit ?? DEFAULT_LIMIT));
    if (typed.length === 0) return { query, hits: [], suggestions: [] };

    // Each word with the catalog words it may be a swapped-letter typo of; ranking uses the correction.
    // A word that is not in the catalog but is one swap away from words that are is searched as those.
    // A quoted word is meant as typed.
    const quoted = new Set(phrases.flatMap((p) => p.words));
    const spellings = typed.map((w) => this.spellingsOf(w, quoted));
    const inPhrases = phrases.length === 0 ? undefined : (doc: Doc) => phrases.every((p) => hasPhrase(doc, p));
    const words = spellings.map((forms) => forms[0] ?? '');
    // Folding changes nothing in plain ASCII but its case.
    const foldedQuery = ASCII.test(query) ? query.toLowerCase() : fold(query);
    const shortWords = words.filter((w) => w.length < MIN_FUZZY_WORD);
    const ranking: Ranking = { spellings, words, foldedQuery, shortWords, limit };
    const hits = this.prefilter
      ? this.rankCandidates(this.prefilter, ranking, options.category, inPhrases)
      : this.rankAll(ranking, options.category, inPhrases)
          .sort(byRank)
          .slice(0, limit)
          .map((r) => r.doc.entry);
    return { query, hits, suggestions: hits.length === 0 && options.suggest !== false ? this.suggest(query) : [] };
  }

  /** Without a prefilter (the benchmark's baseline): fuse over every entry, then the tiers. */
  private rankAll(ranking: Ranking, category: string | undefined, inPhrases: ((doc: Doc) => boolean) | undefined): Ranked[] {
    const { foldedQuery, words, shortWords } = ranking;
    const fieldsOf = (doc: Doc) => [doc.title, doc.category, doc.host, doc.description];
    return (this.fuse?.search(expressionOf(ranking.spellings)) ?? [])
      .filter((r) => category === undefined || r.item.entry.category === category)
      .filter((r) => inPhrases === undefined || inPhrases(r.item))
      .map((r) => ({ doc: r.item, score: r.score ?? 1, tier: tierOf(fieldsOf(r.item), foldedQuery, words) }))
      .filter((r) => r.tier < FUZZY_TIER || shortWords.every((w) => anyFieldHas(fieldsOf(r.doc), w)));
  }

  /**
   * The best `limit` of the prefilter's candidates (of the category, with every phrase), by tier,
   * then fuse's score, then title length, then catalog order. Fuse costs about 9 µs per
   * candidate, so it scores only the candidates that can still be among the `limit` best: the
   * tiers come first, and once the better tiers hold `limit` documents (each certain to match),
   * the worse ones cannot reach the hits. Words fuse forgives no error in (three letters or fewer)
   * are scored without fuse, as fuse would. Candidates are worked on by position, in columns: no
   * object per candidate, no sort of those that cannot be hits.
   */
  private rankCandidates(
    prefilter: TokenPrefilter,
    ranking: Ranking,
    category: string | undefined,
    inPhrases: ((doc: Doc) => boolean) | undefined,
  ): Entry[] {
    const { spellings, foldedQuery, words, shortWords, limit } = ranking;
    const candidates = prefilter.candidates(spellings, MAX_CANDIDATES, this.keeper(category, inPhrases));
    const fields = this.scratchFields;
    const docs: number[] = [];
    const tiers: number[] = [];
    const perTier = [0, 0, 0, 0, 0];
    for (const i of candidates) {
      this.fieldsAt(i, fields);
      const tier = tierOf(fields, foldedQuery, words, prefilter.flagsOf(i));
      // A word too short for typos that no field has as typed: fuse's match is a stretch.
      if (tier === FUZZY_TIER && !shortWords.every((w) => anyFieldHas(fields, w))) continue;
      perTier[tier] = (perTier[tier] ?? 0) + 1;
      docs.push(i);
      tiers.push(tier);
    }
    const scores: number[] = new Array<number>(docs.length).fill(1);
    const longest = Math.max(...spellings.map((forms) => Math.max(...forms.map((form) => form.length))));
    let scored = docs.length;
    if (longest <= WEIGHTS_ONLY_LENGTH) {
      for (let c = 0; c < docs.length; c++) scores[c] = weightScore(this.fieldsAt(docs[c] as number, fields), spellings);
    } else {
      // The worst tier that can still reach the hits.
      let cut = 0;
      for (let held = perTier[0] ?? 0; cut < FUZZY_TIER && held < limit; held += perTier[cut] ?? 0) cut++;
      scored = 0;
      // A word longer than fuse's bit vectors is scored in chunks: fuse itself does that.
      const chunked = longest > FUSE_MAX_PATTERN ? this.fuseScored(docs, tiers, cut, spellings) : undefined;
      for (let c = 0; c < docs.length; c++) {
        if ((tiers[c] as number) > cut) continue;
        const score = chunked ? chunked.get(c) : fuseScore(this.fieldsAt(docs[c] as number, fields), spellings);
        if (score === undefined) continue;
        // Kept in place, in catalog order: what `byPosition` breaks the last ties with.
        docs[scored] = docs[c] as number;
        tiers[scored] = tiers[c] as number;
        scores[scored++] = score;
      }
    }
    return this.bestOf(docs, tiers, scores, scored, limit);
  }

  /**
   * The best `limit` of the first `count` ranked candidates (in catalog order), best first: each
   * is compared with the worst kept so far, most of them once, instead of sorting them all.
   */
  private bestOf(docs: number[], tiers: number[], scores: number[], count: number, limit: number): Entry[] {
    const entries = this.catalog.entries;
    const titleLengthOf = this.titleLengthOf;
    const lengths: number[] = [];
    for (let c = 0; c < count; c++) lengths.push(titleLengthOf[docs[c] as number] as number);
    // Whether candidate `a` ranks before `b`: tier, score, title length, then catalog order.
    const before = (a: number, b: number) => {
      const tier = (tiers[a] as number) - (tiers[b] as number);
      if (tier !== 0) return tier < 0;
      const score = (scores[a] as number) - (scores[b] as number);
      if (score !== 0) return score < 0;
      const length = (lengths[a] as number) - (lengths[b] as number);
      return length !== 0 ? length < 0 : (docs[a] as number) < (docs[b] as number);
    };
    const top: number[] = [];
    for (let c = 0; c < count; c++) {
      if (top.length === limit && !before(c, top[limit - 1] as number)) continue;
      let at = top.length < limit ? top.length : limit - 1;
      if (top.length < limit) top.push(c);
      while (at > 0 && before(c, top[at - 1] as number)) {
        top[at] = top[at - 1] as number;
        at--;
      }
      top[at] = c;
    }
    return top.map((c) => entries[docs[c] as number] as Entry);
  }

  /**
   * Fuse's scores of the candidates in tiers up to `cut`, by their position in `docs`, without
   * those fuse does not match: for a word longer than fuse's bit vectors, which fuse scores in chunks.
   */
  private fuseScored(docs: readonly number[], tiers: readonly number[], cut: number, spellings: readonly string[][]): Map<number, number> {
    const positions: number[] = [];
    for (let c = 0; c < docs.length; c++) if ((tiers[c] as number) <= cut) positions.push(c);
    const scores = new Map<number, number>();
    if (positions.length === 0) return scores;
    // Fuse indexes the few candidates afresh: a record per entry kept for every query would
    // cost more memory than the rest of the index.
    const fuse = new Fuse(
      positions.map((c) => this.doc(docs[c] as number)),
      FUSE_OPTIONS,
    );
    for (const hit of fuse.search(expressionOf(spellings))) scores.set(positions[hit.refIndex] as number, hit.score ?? 1);
    return scores;
  }

  /**
   * Which documents may be candidates at all: those of the category, with every phrase. Checked
   * before candidates are cut to MAX_CANDIDATES, so a phrase or a category never empties the cut.
   */
  private keeper(category: string | undefined, inPhrases: ((doc: Doc) => boolean) | undefined): ((i: number) => boolean) | undefined {
    if (category === undefined && inPhrases === undefined) return undefined;
    return (i: number) =>
      (category === undefined || this.catalog.entries[i]?.category === category) && (inPhrases === undefined || inPhrases(this.doc(i)));
  }

  /** A typed word with the catalog words it may be a swapped-letter typo of; a quoted word is meant as typed. */
  private spellingsOf(word: string, quoted: ReadonlySet<string>): string[] {
    const corrections = quoted.has(word) ? [] : this.swapCorrections(word);
    return corrections.length > 0 ? corrections : [word];
  }

  /** Titles closest to a one-word query that found nothing; only near candidates are scored in a large catalog. */
  private titleSuggestions(text: string, word: string): string[] {
    if (!this.prefilter) return (this.titleList?.search(text) ?? []).map((r) => r.item).slice(0, MAX_SUGGESTIONS);
    const pool = this.prefilter.near(word, SUGGESTION_POOL).map((i) => this.catalog.entries[i]?.title ?? '');
    return new Fuse(pool, SUGGESTION_OPTIONS)
      .search(text)
      .sort((a, b) => (a.score ?? 1) - (b.score ?? 1) || a.refIndex - b.refIndex)
      .map((r) => r.item)
      .slice(0, MAX_SUGGESTIONS);
  }

  /**
   * Catalog words that `word` becomes when two neighbouring letters swap back: "pyhton" is
   * "python". Fuse counts a swap as two errors, too many for a six-letter word at our threshold.
   */
  private swapCorrections(word: string): string[] {
    if (word.length < MIN_SWAP_WORD || this.vocabulary.has(word)) return [];
    const found = new Set<string>();
    for (let i = 0; i + 1 < word.length; i++) {
      const swapped = word.slice(0, i) + word.charAt(i + 1) + word.charAt(i) + word.slice(i + 2);
      if (swapped !== word && this.vocabulary.has(swapped)) found.add(swapped);
    }
    return [...found];
  }

  /**
   * Catalog words closest to one that finds nothing, one edit further than search forgives
   * ("search" for "serch"); none for words under MIN_CORRECTED_WORD letters, too short to guess.
   */
  private closestWords(word: string, limit: number): string[] {
    if (word.length < MIN_CORRECTED_WORD) return [];
    const max = Math.min(allowedEdits(word) + 1, MAX_CORRECTION_EDITS);
    if (this.prefilter) return this.prefilter.closestWords(word, max, limit);
    return [...(this.wordSet ?? [])]
      .map((w) => ({ w, edits: w === word ? max + 1 : editDistance(word, w, max) }))
      .filter((c) => c.edits <= max)
      .sort((a, b) => a.edits - b.edits || (a.w < b.w ? -1 : 1))
      .slice(0, limit)
      .map((c) => c.w);
  }

  /**
   * What `categoryNames.search(query)` finds, with fuse scoring only the names it can match: in
   * a large catalog (a thousand categories) fuse over every name, for a whole title and each of
   * its words, cost most of a search that found nothing. Fuse (threshold 0.35) matches a pattern,
   * or past 32 letters one of its 32-letter chunks, where it occurs with at most 0.35 edits per
   * letter, so a name where none occurs within that many is never matched. Plain ASCII only
   * (fuse's own lower-casing and diacritics leave it as it is); any other name is always scored.
   */
  private categoryHits(query: string): FuseResult<string>[] {
    const pattern = query.toLowerCase();
    if (!ASCII.test(pattern)) return this.categoryNames.search(query);
    this.loweredCategoryNames ??= this.catalog.categories.map((c) => (ASCII.test(c.name) ? c.name.toLowerCase() : undefined));
    const chunks: string[] = [];
    if (pattern.length <= FUSE_MAX_PATTERN) chunks.push(pattern);
    else {
      for (let at = 0; at + FUSE_MAX_PATTERN <= pattern.length; at += FUSE_MAX_PATTERN)
        chunks.push(pattern.slice(at, at + FUSE_MAX_PATTERN));
      if (pattern.length % FUSE_MAX_PATTERN !== 0) chunks.push(pattern.slice(pattern.length - FUSE_MAX_PATTERN));
    }
    const limits = chunks.map((chunk) => Math.ceil(chunk.length * SUGGESTION_THRESHOLD));
    const kept: number[] = [];
    this.loweredCategoryNames.forEach((name, i) => {
      const plausible =
        name === undefined ||
        chunks.some((chunk, c) => {
          const max = limits[c] ?? 0;
          return name.length >= chunk.length - max && bestOccurrence(chunk, name, max) <= max;
        });
      if (plausible) kept.push(i);
    });
    if (kept.length === 0) return [];
    const names = kept.map((i) => this.catalog.categories[i]?.name ?? '');
    // Fuse scores each name on its own: the same scores, with the catalog's positions put back.
    return new Fuse(names, SUGGESTION_OPTIONS).search(query).map((hit) => ({ ...hit, refIndex: kept[hit.refIndex] ?? hit.refIndex }));
  }

  /**
   * "Did you mean", for a search that found nothing: the categories whose names are closest to
   * the query or one of its words; the query with each word that finds nothing replaced by the
   * closest catalog word, when that finds something ("search" for "serch"); then titles: those
   * closest to a one-word query, and the best hits of each word on its own (a query fails as a
   * whole when one of its words matches nothing, and a search in one category when it is elsewhere).
   */
  suggest(rawQuery: string): string[] {
    const { text, words } = queryWords(rawQuery);
    if (words.length === 0) return [];
    const out: string[] = [];
    const add = (name: string) => {
      if (out.length < MAX_SUGGESTIONS && !out.includes(name)) out.push(name);
    };
    const categoryHits = [text, ...words.filter((w) => w.length >= 3)]
      .flatMap((q) => this.categoryHits(q).filter((hit) => q.length >= MIN_FUZZY_WORD || fold(hit.item).includes(fold(q))))
      .sort((a, b) => (a.score ?? 1) - (b.score ?? 1) || a.refIndex - b.refIndex);
    for (const hit of categoryHits.slice(0, MAX_CATEGORY_SUGGESTIONS)) add(hit.item);

    // Each word searched on its own only when its hits are shown, or when the index cannot tell
    // whether it finds anything: a search per word of a long query costs more than the query.
    const alone: (Entry[] | undefined)[] = [];
    const aloneHits = (i: number) => (alone[i] ??= this.search(words[i] ?? '', { limit: MAX_SUGGESTIONS, suggest: false }).hits);
    const findsAnything = (w: string, i: number) =>
      this.prefilter?.findsAnything(this.spellingsOf(w, new Set())) ?? aloneHits(i).length > 0;
    const corrected = words.map((w, i) => (findsAnything(w, i) ? w : (this.closestWords(w, 1)[0] ?? w)));
    const correction = corrected.join(' ');
    const correctedHits = correction === words.join(' ') ? [] : this.search(correction, { limit: MAX_SUGGESTIONS, suggest: false }).hits;
    if (correctedHits.length > 0) add(correction);

    if (words.length === 1) for (const title of this.titleSuggestions(text, words[0] ?? '')) add(title);
    for (let rank = 0; rank < MAX_SUGGESTIONS && out.length < MAX_SUGGESTIONS; rank++) {
      for (let i = 0; i < words.length && out.length < MAX_SUGGESTIONS; i++) {
        const hit = aloneHits(i)[rank];
        if (hit) add(hit.title);
      }
    }
    return out;
  }
}
