/**
 * The ranking scores candidates as fuse.js would without running it (src/search/fuse-score.ts),
 * and scores only those that can still reach the hits: both must give fuse's own answers.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import Fuse from 'fuse.js';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import { FUSE_THRESHOLD, fieldScore } from '../src/search/fuse-score.js';
import { SearchIndex } from '../src/search/search-index.js';
import { corporaDir, seedCatalog } from './helpers.js';

/** Fuse's score of one string for one pattern, with the options the search index gives it. */
function fusesOwn(pattern: string, field: string): number | undefined {
  const fuse = new Fuse([field], { threshold: FUSE_THRESHOLD, ignoreLocation: true, includeScore: true, ignoreFieldNorm: true });
  return fuse.search(pattern)[0]?.score;
}

describe("fuse's score of one field, without fuse", () => {
  it('is 0 for the whole field, 0.001 for the pattern as typed, errors per letter for a typo, none past the threshold', () => {
    expect(fieldScore('kafka', 'kafka')).toBe(0);
    expect(fieldScore('kafka', 'kafka streams')).toBe(0.001);
    expect(fieldScore('kuberntes', 'kubernetes for everyone')).toBe(1 / 9);
    expect(fieldScore('obsevability', 'observability in 2022')).toBe(1 / 12);
    expect(fieldScore('kub', 'kbu')).toBeUndefined();
    expect(fieldScore('zzqxv', 'kubernetes')).toBeUndefined();
    expect(fieldScore('kafka', '   ')).toBeUndefined();
    // At the threshold exactly: three errors in ten letters are forgiven, four are not.
    expect(fieldScore('kubernetes', 'kxbxrnxtes')).toBe(0.3);
    expect(fusesOwn('kubernetes', 'kxbxrnxtes')).toBe(0.3);
    expect(fieldScore('kubernetes', 'kxbxrnxtxs')).toBeUndefined();
    expect(fusesOwn('kubernetes', 'kxbxrnxtxs')).toBeUndefined();
  });

  it('is what fuse scores, on words and typos of a few letters', () => {
    // A small alphabet, so that patterns often nearly occur in the field; accents take fuse's other path.
    const letters = fc.constantFrom('a', 'b', 'e', 'k', 'r', 's', 'é', ' ');
    fc.assert(
      fc.property(
        fc.string({ unit: letters, minLength: 1, maxLength: 14 }).filter((p) => p.trim() === p && p.trim() !== ''),
        fc.string({ unit: letters, maxLength: 60 }),
        (pattern, field) => {
          expect(fieldScore(pattern, field)).toBe(fusesOwn(pattern, field));
        },
      ),
      { seed: 14, numRuns: 3000 },
    );
  });
});

describe('ranking only the candidates that can reach the hits', () => {
  const corpora = ['awesome.md', 'awesome-python.md'].map((name) =>
    buildCatalog([{ file: name, text: readFileSync(`${corporaDir}${name}`, 'utf8') }]),
  );
  const queries = ['p', 'py', 'pyt', 'pyth', 'python', 'pyhton', 'web', 'web fr', 'kube', 'data', 'datbase', 'test', 'http client', '"web'];

  it('gives the first hits of a longer list, whatever the limit', () => {
    for (const catalog of [seedCatalog(), ...corpora]) {
      const index = new SearchIndex(catalog);
      for (const q of queries) {
        const all = index.search(q, { limit: 100, suggest: false }).hits.map((e) => e.id);
        for (const limit of [1, 5, 10, 25])
          expect(
            index.search(q, { limit, suggest: false }).hits.map((e) => e.id),
            `${q} (${limit})`,
          ).toEqual(all.slice(0, limit));
      }
    }
  });

  it('ranks the seed as fuse scanning every entry does, for words fuse forgives typos in', () => {
    const catalog = seedCatalog();
    const fast = new SearchIndex(catalog);
    const full = new SearchIndex(catalog, { prefilter: false });
    for (const q of ['kafka', 'kafak', 'observability', 'obsevability', 'kube', 'monitoring tools', 'promethues grafana', 'docker']) {
      expect(
        fast.search(q, { limit: 25 }).hits.map((e) => e.id),
        q,
      ).toEqual(full.search(q, { limit: 25 }).hits.map((e) => e.id));
    }
  });
});
