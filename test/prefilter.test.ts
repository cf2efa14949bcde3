import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import { wordsOf } from '../src/search/query.js';
import { SearchIndex } from '../src/search/search-index.js';
import { allowedEdits, occursWithin } from '../src/search/token-prefilter.js';
import { corporaDir, seedCatalog } from './helpers.js';

const corpora = ['awesome.md', 'awesome-python.md', 'awesome-workflow-engines.md'].map((name) =>
  buildCatalog([{ file: name, text: readFileSync(`${corporaDir}${name}`, 'utf8') }]),
);

describe('finding a word inside another, within a few edits', () => {
  it('forgives as many edits as fuse does at threshold 0.3', () => {
    expect(['kub', 'kube', 'kafka', 'python', 'kubernetes', 'observability'].map(allowedEdits)).toEqual([0, 1, 1, 1, 3, 3]);
  });

  it('finds a pattern anywhere in a longer word, exactly or with edits', () => {
    expect(occursWithin('cobalt', 'silkcobaltwave', 0)).toBe(true);
    expect(occursWithin('cobolt', 'silkcobaltwave', 1)).toBe(true);
    expect(occursWithin('cobolt', 'silkcobaltwave', 0)).toBe(false);
    expect(occursWithin('kuberntes', 'kubernetes', 2)).toBe(true);
    expect(occursWithin('zzqxv', 'kubernetes', 2)).toBe(false);
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
