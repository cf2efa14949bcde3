import path from 'node:path';
import { quote } from '../text.js';
import { checkCatalog } from './check-catalog.js';
import { assignIds } from './entry-id.js';
import { parseBody } from './chunk-markdown.js';
import type { DraftEntry } from './extract-entries.js';
import { splitFrontMatter } from './front-matter.js';
import { blankLongLines } from './long-lines.js';
import { cacheKey, ParseCache } from './parse-cache.js';
import { problem, sortProblems } from './problems.js';
import { readContentFiles, type ContentFile } from './read-files.js';
import type { Catalog, Category, Entry, Page, Problem } from './types.js';

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

export interface ParsedPage {
  page: Page;
  entries: DraftEntry[];
  problems: Problem[];
}

function pageTitleFromFile(file: string): string {
  return path.posix.basename(file).replace(/\.md$/i, '');
}

/** One file's page, entries and problems. Never throws: whatever fails becomes a problem. */
export function parsePage(source: ContentFile, options: LoadOptions = {}): ParsedPage {
  const { file, text } = source;
  const split = splitFrontMatter(text, file);
  const title = split.frontMatter.title ?? pageTitleFromFile(file);
  const page: Page = { title, file, draft: split.frontMatter.draft, entryCount: 0 };
  if (split.frontMatter.date !== undefined) page.date = split.frontMatter.date;
  const problems = [...split.problems];

  if (page.draft && !options.includeDrafts) {
    problems.push(
      problem('info', 'draft-skipped', `draft page ${quote(title)} is skipped; set INCLUDE_DRAFTS=true or pass --drafts to include it`, {
        file,
        line: 1,
      }),
    );
    return { page, entries: [], problems };
  }

  try {
    const guarded = blankLongLines(split.body, file, split.bodyLineOffset);
    problems.push(...guarded.problems);
    const extracted = parseBody(
      guarded.body,
      { file, page: title, lineOffset: split.bodyLineOffset },
      {
        ...(options.chunkChars === undefined ? {} : { chunkChars: options.chunkChars }),
        ...(options.onChunkParsed === undefined ? {} : { onChunkParsed: options.onChunkParsed }),
      },
    );
    problems.push(...extracted.problems);
    page.entryCount = extracted.entries.length;
    return { page, entries: extracted.entries, problems };
  } catch (error) {
    problems.push(problem('error', 'unreadable', `file could not be parsed: ${(error as Error).message}`, { file, line: 1 }));
    return { page, entries: [], problems };
  }
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
  const entries = assignIds(pages.flatMap((p) => p.entries));
  const problems = [...extraProblems, ...pages.flatMap((p) => p.problems), ...checkCatalog(entries)];
  return {
    entries,
    categories: groupCategories(entries),
    pages: pages.map((p) => p.page),
    problems: sortProblems(problems),
    loadedAt,
  };
}

/** Builds a catalog from files already in memory: what tests and the loader share. */
export function buildCatalog(files: readonly ContentFile[], options: LoadOptions = {}): Catalog {
  return assembleCatalog(files.map((f) => parsePage(f, options)));
}

/** Reads every `.md` file at `contentPath` (a file or a folder) into a catalog, using the parse cache when given one. */
export async function loadCatalog(contentPath: string, options: LoadOptions = {}, cwd = process.cwd()): Promise<Catalog> {
  const read = await readContentFiles(contentPath, cwd);
  const cache =
    options.cacheDir === undefined || options.cacheDir === false ? undefined : new ParseCache(path.resolve(cwd, options.cacheDir));
  const pages: ParsedPage[] = [];
  for (const file of read.files) pages.push(cache ? await parsePageCached(file, options, cache) : parsePage(file, options));
  return assembleCatalog(pages, read.problems);
}

/** `parsePage` through the cache: a hit is the stored result; a miss is parsed, then stored. */
export async function parsePageCached(file: ContentFile, options: LoadOptions, cache: ParseCache): Promise<ParsedPage> {
  const key = cacheKey({ file: file.file, text: file.text, includeDrafts: options.includeDrafts === true });
  const hit = await cache.get(key);
  if (hit) return hit;
  const parsed = parsePage(file, options);
  await cache.set(key, parsed);
  return parsed;
}
