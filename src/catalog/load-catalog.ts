import path from 'node:path';
import { BudgetedParser, type ParseBudget } from './budgeted-parser.js';
import { checkCatalog } from './check-catalog.js';
import { checkText } from './check-text.js';
import { assignIds } from './entry-id.js';
import type * as ParserModule from './parse-page.js';
import type { ParsedPage } from './parse-page.js';
import { cacheKey, ParseCache } from './parse-cache.js';
import { problem, sortProblems } from './problems.js';
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
  /**
   * Called after each chunk of markdown is parsed, while its tree is alive: for measuring the heap.
   * Only with `budget: false` (a callback cannot reach the parsing worker).
   */
  onChunkParsed?: () => void;
  /**
   * What each file may cost to parse (see `DEFAULT_PARSE_BUDGET`); files are parsed in a worker
   * thread that is stopped when a file goes over, and that file is reported and skipped. `false`
   * parses on this thread without limits: only for trusted input and for measurements.
   */
  budget?: Partial<ParseBudget> | false;
  /**
   * Stop parsing this many milliseconds after the load starts (a reload's deadline): files not
   * parsed by then are reported as `parse-timeout`, and a reload keeps their previous version.
   */
  deadlineMs?: number;
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

/**
 * Reads every `.md` file at `contentPath` (a file or a folder) into a catalog, using the parse cache
 * when given one. Each file that must be parsed is parsed within `options.budget`: a file over it
 * is reported at `file:1` and skipped, and the other files still load.
 */
export async function loadCatalog(contentPath: string, options: LoadOptions = {}, cwd = process.cwd()): Promise<Catalog> {
  const started = Date.now();
  const read = await readContentFiles(contentPath, cwd);
  const cache =
    options.cacheDir === undefined || options.cacheDir === false ? undefined : new ParseCache(path.resolve(cwd, options.cacheDir));
  const budgeted = options.budget === false ? undefined : new BudgetedParser(options.budget);
  const pages: ParsedPage[] = [];
  const problems = [...read.problems];
  const used = new Set<string>();
  const request = {
    ...(options.includeDrafts === undefined ? {} : { includeDrafts: options.includeDrafts }),
    ...(options.chunkChars === undefined ? {} : { chunkChars: options.chunkChars }),
  };
  try {
    for (const file of read.files) {
      const key = cache ? cacheKey({ file: file.file, text: file.text, includeDrafts: options.includeDrafts === true }) : undefined;
      if (key !== undefined) used.add(key);
      const hit = key === undefined ? undefined : await cache?.get(key);
      if (hit) {
        pages.push(hit);
        continue;
      }
      let parsed: ParsedPage;
      if (budgeted) {
        const left = options.deadlineMs === undefined ? Infinity : started + options.deadlineMs - Date.now();
        const overTime = `not parsed: the reload ran out of time after ${options.deadlineMs ?? 0} ms (RELOAD_TIMEOUT_SECONDS); skipped`;
        if (left <= 0) {
          problems.push(problem('error', 'parse-timeout', overTime, { file: file.file, line: 1 }));
          continue;
        }
        const outcome = await budgeted.parse(file, request, Number.isFinite(left) ? { timeoutMs: left, overTime } : undefined);
        if (!outcome.ok) {
          problems.push(outcome.problem);
          continue;
        }
        parsed = outcome.parsed;
      } else {
        parsed = (await parser()).parsePage(file, options);
      }
      pages.push(parsed);
      if (key !== undefined) await cache?.set(key, parsed);
    }
  } finally {
    await budgeted?.close();
  }
  // Only a load that wrote something can have left entries nobody uses.
  if (cache && cache.stats.writes > 0) await cache.prune(used);
  return assembleCatalog(pages, problems);
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
