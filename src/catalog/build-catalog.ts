import { assembleCatalog } from './load-catalog.js';
import { parsePage } from './parse-page.js';
import type { ContentFile } from './read-files.js';
import type { Catalog, LoadOptions } from './types.js';

/** Builds a catalog from files already in memory, synchronously: what tests and benchmarks use. */
export function buildCatalog(files: readonly ContentFile[], options: LoadOptions = {}): Catalog {
  return assembleCatalog(files.map((f) => parsePage(f, options)));
}
