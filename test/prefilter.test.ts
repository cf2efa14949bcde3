import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import { wordsOf } from '../src/text.js';
import { SearchIndex } from '../src/search/search-index.js';
import { MIN_FUZZY_WORD } from '../src/search/query.js';
import { occursWithin } from '../src/search/edit-distance.js';
import { allowedEdits, TokenPrefilter, type TokenDoc } from '../src/search/token-prefilter.js';
import { corporaDir, seedCatalog } from './helpers.js';

const corpora = ['awesome.md', 'awesome-python.md', 'awesome-workflow-engines.md'].map((name) =>
  buildCatalog([{ file: name, text: readFileSync(`${corporaDir}${name}`, 'utf8') }]),
);

describe('finding a word inside another, within a few edits', () => {
  it('forgives as many edits as fuse does at threshold 0.3', () => {
    expect(['kub', 'kube', 'kafka', 'python', 'kubernetes', 'observability'].map(allowedEdits)).toEqual([0, 1, 1, 1, 3, 3]);
  });
});

describe('the prefilter', () => {
  const queries = [
    'kafka',
    'kube',
    'ku',
    'obs',
    'github',
    'distributed tracing',
    'kuberntes',
    'promethues',
    'python web',
    'django',
    'flask',
    'workflow engine',
    'airflw',
    'node',
    'js',
    'rust',
    'api',
    'zzqxv',
    'machine learning',
    'static site',
  ];

  it('returns the same top 10 as fuse scanning every entry on the seed', () => {
    const catalog = seedCatalog();
    const fast = new SearchIndex(catalog);
    const full = new SearchIndex(catalog, { prefilter: false });
    for (const q of queries) {
      expect(
        fast.search(q, { limit: 10 }).hits.map((e) => e.id),
        q,
      ).toEqual(full.search(q, { limit: 10 }).hits.map((e) => e.id));
    }
  });

  it('agrees with the full scan on at least 95% of the top 10 on the real lists', () => {
    let shared = 0;
    let total = 0;
    for (const catalog of corpora) {
      const fast = new SearchIndex(catalog);
      const full = new SearchIndex(catalog, { prefilter: false });
      for (const q of queries) {
        const mine = new Set(fast.search(q, { limit: 10 }).hits.map((e) => e.id));
        const theirs = full.search(q, { limit: 10 }).hits.map((e) => e.id);
        total += theirs.length;
        shared += theirs.filter((id) => mine.has(id)).length;
      }
    }
    expect(total).toBeGreaterThan(150);
    expect(shared / total).toBeGreaterThanOrEqual(0.95);
  });

  it('finds a planted typo in the top 3 at least as often as the full scan', () => {
    let fastFound = 0;
    let fullFound = 0;
    for (const catalog of corpora) {
      const fast = new SearchIndex(catalog);
      const full = new SearchIndex(catalog, { prefilter: false });
      catalog.entries.forEach((entry, i) => {
        if (i % 7 !== 0) return;
        const word = wordsOf(entry.title).sort((a, b) => b.length - a.length)[0] ?? '';
        if (word.length < 6) return;
        // Drop one letter from the middle, as a hurried member does.
        const typo = word.slice(0, 3) + word.slice(4);
        if (fast.search(typo, { limit: 3 }).hits.some((h) => h.id === entry.id)) fastFound += 1;
        if (full.search(typo, { limit: 3 }).hits.some((h) => h.id === entry.id)) fullFound += 1;
      });
    }
    expect(fullFound).toBeGreaterThan(20);
    expect(fastFound).toBeGreaterThanOrEqual(fullFound);
  });
});

describe('the prefilter on a long query', () => {
  // 2,000 documents over words of very different frequencies: "the" in every document, "common"
  // in half, "rare" in a few; some with typos ("commn") or the words split across fields.
  const docs: TokenDoc[] = Array.from({ length: 2000 }, (_, i) => ({
    titleWords: ['the', i % 2 === 0 ? 'common' : 'other', ...(i % 97 === 0 ? ['rare'] : []), `w${i % 13}`],
    otherWords: ['data', ...(i % 5 === 0 ? ['commn'] : []), ...(i % 89 === 0 ? ['rarely'] : []), `x${i % 7}`],
  }));
  const prefilter = new TokenPrefilter(docs);
  const bounded = new TokenPrefilter(docs, (i) => docs[i] as TokenDoc);
  const matches = (doc: TokenDoc, word: string) => {
    const words = [...doc.titleWords, ...doc.otherWords, ...doc.titleWords.slice(1).map((w, i) => `${doc.titleWords[i]}${w}`)];
    const edits = word.length >= MIN_FUZZY_WORD ? allowedEdits(word) : 0;
    return words.some((w) => occursWithin(word, w, edits));
  };
  const everyMatch = (words: string[]) => docs.flatMap((doc, i) => (words.every((w) => matches(doc, w)) ? [i] : []));

  it('finds every document that every word can match, whichever word is rarest', () => {
    for (const words of [
      ['the', 'common', 'rare'],
      ['rare', 'the', 'data', 'w0'],
      ['common', 'data', 'the'],
      ['commom', 'the', 'rarely'],
      ['the', 'x3', 'w5', 'data', 'commn'],
    ]) {
      const expected = everyMatch(words);
      expect(expected.length).toBeGreaterThan(0);
      expect(
        prefilter.candidates(
          words.map((w) => [w]),
          5000,
        ),
      ).toEqual(expected);
      // Checking the words left in each document's own words finds the same.
      expect(
        bounded.candidates(
          words.map((w) => [w]),
          5000,
        ),
      ).toEqual(expected);
    }
  });

  it('cuts the same best documents by counting tiers and title lengths as by comparing them', () => {
    // `keep` that keeps everything takes the comparing path; without it, the counting one.
    const all = () => true;
    for (const words of [['t'], ['the'], ['common'], ['commn'], ['w1'], ['the', 'data'], ['comon', 'x3'], ['rare', 'the']]) {
      const spellings = words.map((w) => [w]);
      for (const cap of [1, 3, 7, 50, 400]) {
        const counted = prefilter.candidates(spellings, cap);
        expect(counted, `${words.join(' ')} / ${cap}`).toEqual(prefilter.candidates(spellings, cap, all));
        expect(counted.length).toBe(Math.min(cap, prefilter.candidates(spellings, 5000).length));
      }
    }
  });

  it('checks the other words of a long query in the documents left as the vocabulary look-up finds them', () => {
    // Whole titles of a real list with a typo in one word, and pairs of their words: the
    // candidates, and the best few of them (which read the edits and bits), agree.
    const catalog = corpora[0];
    if (!catalog) throw new Error('no corpus');
    const realDocs: TokenDoc[] = catalog.entries.map((e) => ({
      titleWords: wordsOf(e.title),
      otherWords: wordsOf(`${e.category} ${e.url} ${e.description}`),
    }));
    const looked = new TokenPrefilter(realDocs);
    const checked = new TokenPrefilter(realDocs, (i) => realDocs[i] as TokenDoc);
    let queries = 0;
    let withCandidates = 0;
    realDocs.forEach((doc, i) => {
      if (i % 7 !== 0 || doc.titleWords.length < 2) return;
      const words = doc.titleWords.map((w, k) => (k === i % doc.titleWords.length && w.length > 4 ? w.slice(0, 2) + w.slice(3) : w));
      const pair = [doc.titleWords[0] ?? '', doc.otherWords[i % doc.otherWords.length] ?? ''];
      for (const query of [words, pair, [...words, 'the']]) {
        const spellings = query.map((w, k) => (k === 0 && w.length > 3 ? [w, w.slice(1)] : [w]));
        for (const cap of [5, 5000]) {
          const expected = looked.candidates(spellings, cap);
          expect(checked.candidates(spellings, cap), query.join(' ')).toEqual(expected);
          queries += 1;
          if (expected.length > 0) withCandidates += 1;
        }
      }
    });
    expect(queries).toBeGreaterThan(200);
    expect(withCandidates).toBeGreaterThan(queries / 2);
  });

  it('keeps the best by title prefix, then title length, when there are too many, asking `keep` of those', () => {
    const asked: number[] = [];
    const keep = (i: number) => (asked.push(i), i % 3 === 0);
    const kept = prefilter.candidates([['the'], ['rar']], 3, keep);
    // "rar" starts a title word of every 97th document ("the other rare w5" for 291, 873) and
    // is only inside another field's "rarely" of every 89th: of those `keep` keeps, the shortest titles.
    expect(kept).toEqual([0, 291, 873]);
    expect(asked.length).toBeLessThan(20);
  });

  it('tells whether a word finds anything without fuse when it can', () => {
    expect(prefilter.findsAnything(['common'])).toBe(true);
    expect(prefilter.findsAnything(['zzqxv'])).toBe(false);
    // Only a typo of it is in the documents: fuse decides.
    expect(prefilter.findsAnything(['rarelx'])).toBeUndefined();
  });
});
