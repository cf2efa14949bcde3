/**
 * Golden ranking test: the top 10 of a few hundred fixed queries on the seed, the real corpora
 * and a generated catalog, as the search answered them when the fixture was recorded. A change
 * that moves a result fails here; if the new ranking is better, say why in the commit and
 * record it again with `npx vitest run test/golden-ranks.test.ts -u`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateCatalogFiles } from '../bench/generate-catalog.js';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import type { Catalog } from '../src/catalog/types.js';
import { Linkdex } from '../src/linkdex.js';
import { goldenQueries } from './golden-queries.js';
import { corporaDir, seedCatalog } from './helpers.js';

function corpus(name: string): Catalog {
  return buildCatalog([{ file: name, text: readFileSync(`${corporaDir}${name}`, 'utf8') }]);
}

const catalogs: [string, () => Catalog, number][] = [
  ['seed', seedCatalog, 1],
  ['awesome', () => corpus('awesome.md'), 2],
  ['awesome-python', () => corpus('awesome-python.md'), 3],
  ['awesome-workflow-engines', () => corpus('awesome-workflow-engines.md'), 4],
  ['generated-3000', () => buildCatalog(generateCatalogFiles(3_000, 14)), 5],
];

/** Each query's answer on one line: the ids of the top 10, or the suggestions when nothing is found. */
function answers(catalog: Catalog, seed: number): Record<string, string> {
  const linkdex = new Linkdex(catalog);
  const out: Record<string, string> = {};
  for (const { query, category } of goldenQueries(catalog, seed)) {
    const key = category === undefined ? query : `${query} [category:${category}]`;
    const result = linkdex.search(query, { limit: 10, ...(category === undefined ? {} : { category }) });
    if (!result.ok) out[key] = `unknown category (${result.reason}): ${result.suggestions.join(' | ')}`;
    else if (result.value.hits.length > 0) out[key] = result.value.hits.map((e) => e.id).join(' ');
    else out[key] = `no hit; did you mean: ${result.value.suggestions.join(' | ')}`;
  }
  return out;
}

describe('rankings stay as recorded', () => {
  it.each(catalogs)('on %s', async (name, load, seed) => {
    const result = answers(load(), seed);
    expect(Object.keys(result).length).toBeGreaterThan(140);
    await expect(`${JSON.stringify(result, null, 1)}\n`).toMatchFileSnapshot(`./fixtures/golden/${name}.json`);
  });
});
