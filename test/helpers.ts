import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import type { LoadOptions } from '../src/catalog/load-catalog.js';
import type { Catalog } from '../src/catalog/types.js';
import { Linkdex } from '../src/linkdex.js';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const seedPath = fileURLToPath(new URL('../content/programming.md', import.meta.url));
/** Real awesome-lists with their licenses (see SOURCES.md there), copied so tests need nothing outside the repo. */
export const corporaDir = fileURLToPath(new URL('./fixtures/corpora/', import.meta.url));

/** The shipped catalog, as `linkdex` run from the repository root names it. */
export function seedCatalog(): Catalog {
  return buildCatalog([{ file: 'content/programming.md', text: readFileSync(seedPath, 'utf8') }]);
}

export function catalogOf(text: string, file = 'test.md', options: LoadOptions = {}): Catalog {
  return buildCatalog([{ file, text }], options);
}

export function seedLinkdex(randomIndex?: (n: number) => number): Linkdex {
  return new Linkdex(seedCatalog(), randomIndex);
}
