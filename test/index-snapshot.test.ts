import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { describe, expect, it, vi } from 'vitest';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import type { Catalog } from '../src/catalog/types.js';
import { Linkdex } from '../src/linkdex.js';
import { SearchIndex } from '../src/search/search-index.js';
import { goldenQueries } from './golden-queries.js';
import { corporaDir, seedCatalog } from './helpers.js';

const stored = (index: SearchIndex) => v8.deserialize(v8.serialize(index.snapshot())) as unknown;
const answers = (index: SearchIndex, catalog: Catalog) =>
  goldenQueries(catalog, 9).map(({ query }) => {
    const result = index.search(query, { limit: 10 });
    return [query, result.hits.map((e) => e.id), result.suggestions];
  });

describe('an index snapshot', () => {
  const catalog = buildCatalog([{ file: 'awesome-python.md', text: readFileSync(`${corporaDir}awesome-python.md`, 'utf8') }]);
  const built = new SearchIndex(catalog);

  it('stored with v8.serialize, gives an index that answers every query as the built one does', () => {
    const restored = SearchIndex.fromSnapshot(catalog, stored(built));
    expect(restored).toBeInstanceOf(SearchIndex);
    expect(answers(restored as SearchIndex, catalog)).toEqual(answers(built, catalog));
  });

  it('is refused for another catalog of as many entries, another version, or anything else', () => {
    const snapshot = stored(built);
    const renamed = { ...catalog, entries: catalog.entries.map((e, i) => (i === 7 ? { ...e, title: `${e.title}!` } : e)) };
    expect(SearchIndex.fromSnapshot(renamed, snapshot)).toBeUndefined();
    expect(SearchIndex.fromSnapshot(seedCatalog(), snapshot)).toBeUndefined();
    expect(SearchIndex.fromSnapshot(catalog, { ...(snapshot as object), version: 0 })).toBeUndefined();
    const prefilter = (snapshot as { prefilter: { postings: [Uint32Array, Uint32Array] } }).prefilter;
    const broken = { ...prefilter, postings: [prefilter.postings[0], prefilter.postings[1].subarray(1)] };
    expect(SearchIndex.fromSnapshot(catalog, { ...(snapshot as object), prefilter: broken })).toBeUndefined();
    for (const junk of [undefined, null, 42, 'index', [], {}]) expect(SearchIndex.fromSnapshot(catalog, junk)).toBeUndefined();
  });

  it('is used by Linkdex when it fits the catalog, and ignored (the index built) when it does not', () => {
    const snapshot = stored(built);
    const fromSnapshot = vi.spyOn(SearchIndex, 'fromSnapshot');
    const restored = new Linkdex(catalog, undefined, { indexSnapshot: snapshot });
    expect(restored.index).toBe(fromSnapshot.mock.results[0]?.value);
    fromSnapshot.mockRestore();
    const djangoRest = restored.search('djnago rest');
    expect(djangoRest.ok && djangoRest.value.hits.length).toBeGreaterThan(0);
    expect(djangoRest).toEqual(new Linkdex(catalog).search('djnago rest'));
    const seed = seedCatalog();
    const rebuilt = new Linkdex(seed, undefined, { indexSnapshot: snapshot });
    expect(rebuilt.search('kafka', { limit: 3 })).toEqual(new Linkdex(seed).search('kafka', { limit: 3 }));
    expect(rebuilt.index.catalog).toBe(seed);
  });

  it('an index already built for the very catalog is served as it is; one built for another catalog is not', () => {
    expect(new Linkdex(catalog, undefined, { index: built }).index).toBe(built);
    const seed = seedCatalog();
    const other = new Linkdex(seed, undefined, { index: built });
    expect(other.index).not.toBe(built);
    expect(other.index.catalog).toBe(seed);
  });
});
