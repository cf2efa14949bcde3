import path from 'node:path';
import { checkCatalog } from './check-catalog.js';
import { checkText } from './check-text.js';
import { assignIds } from './entry-id.js';
import type * as ParserModule from './parse-page.js';
import type { ParsedPage } from './parse-page.js';
import { cacheKey, ParseCache } from './parse-cache.js';
import { sortProblems } from './problems.js';
import { readContentFiles, type ContentFile } from './read-files.js';
import type { Catalog, Category, Entry, Problem } from './types.js';

export type { ParsedPage };

export interface LoadOptions {
  /** Include pages whose front matter says `draft: true`. */
  includeDrafts?: boolean;
  /**
   * Where parsed files are cached (`loadCatalog` only): a folder made when first needed, e.g.
   * `.cache` under the working directory. `false` or absent: no cache.
   */
  cacheDir?: string | false;
  /**
   * Bodies over 1 MB are parsed in chunks of about this many characters (250,000 by default), to
   * bound the heap; a smaller value also chunks smaller bodies (tests). The result does not depend on it.
   */
  chunkChars?: number;
  /** Called after each chunk of markdown is parsed, while its tree is alive: for measuring the heap. */
  onChunkParsed?: () => void;
}

function groupCategories(entries: readonly Entry[]): Category[] {
  const byName = new Map<string, Category>();
  for (const entry of entries) {
    let category = byName.get(entry.category);
    if (!category) {
      category = { name: entry.category, pages: [], entries: [] };
      byName.set(entry.category, category);
    }
    category.entries.push(entry);
    if (!category.pages.includes(entry.page)) category.pages.push(entry.page);
  }
  return [...byName.values()];
}

/** Assembles parsed pages into a catalog: ids, categories, and the checks that span files. */
export function assembleCatalog(pages: readonly ParsedPage[], extraProblems: readonly Problem[] = [], loadedAt = new Date()): Catalog {
  // Hidden characters go before ids are given: an id comes from the category members see.
  const text = checkText(
    pages.flatMap((p) => p.entries),
    pages.map((p) => p.page),
  );
  const entries = assignIds(text.entries);
  const problems = [...extraProblems, ...pages.flatMap((p) => p.problems), ...text.problems, ...checkCatalog(entries)];
  return {
    entries,
    categories: groupCategories(entries),
    pages: text.pages,
    problems: sortProblems(problems),
    loadedAt,
  };
}

/** Reads every `.md` file at `contentPath` (a file or a folder) into a catalog, using the parse cache when given one. */
export async function loadCatalog(contentPath: string, options: LoadOptions = {}, cwd = process.cwd()): Promise<Catalog> {
  const read = await readContentFiles(contentPath, cwd);
  const cache =
    options.cacheDir === undefined || options.cacheDir === false ? undefined : new ParseCache(path.resolve(cwd, options.cacheDir));
  const pages: ParsedPage[] = [];
  for (const file of read.files)
    pages.push(cache ? await parsePageCached(file, options, cache) : (await parser()).parsePage(file, options));
  return assembleCatalog(pages, read.problems);
}

/**
 * The markdown stack (unified, remark, micromark: some 15 MB in memory) is loaded on the first
 * file that must really be parsed, so a bot restarted on unchanged content never loads it.
 */
function parser(): Promise<typeof ParserModule> {
  return import('./parse-page.js');
}

/** `parsePage` through the cache: a hit is the stored result; a miss is parsed, then stored. */
export async function parsePageCached(file: ContentFile, options: LoadOptions, cache: ParseCache): Promise<ParsedPage> {
  const key = cacheKey({ file: file.file, text: file.text, includeDrafts: options.includeDrafts === true });
  const hit = await cache.get(key);
  if (hit) return hit;
  const parsed = (await parser()).parsePage(file, options);
  await cache.set(key, parsed);
  return parsed;
}
