import path from 'node:path';
import { BudgetedParser } from './budgeted-parser.js';
import { checkCatalog } from './check-catalog.js';
import { checkText } from './check-text.js';
import { entryIds } from './entry-id.js';
import { groupCategories } from './group-categories.js';
import { Interner } from './intern.js';
import { normalizeUrlText } from './links.js';
import type * as ParserModule from './parse-page.js';
import { cacheKey, ParseCache } from './parse-cache.js';
import { problem, sortProblems } from './problems.js';
import { decodeContentFiles, readContentBytes, type ContentFile } from './read-files.js';
import { SnapshotStore, snapshotKey, snapshotSlot, type SnapshotExtras } from './snapshot.js';
import type { Catalog, Entry, LoadOptions, ParsedPage, Problem } from './types.js';

// Where callers found them before they moved to types.ts.
export type { LoadOptions, ParsedPage };

/** What `loadCatalogWithExtras` adds to `LoadOptions`. */
export interface SnapshotLoadOptions extends LoadOptions {
  /** A value kept in the catalog snapshot beside the catalog, e.g. a prebuilt search index. */
  snapshotExtras?: SnapshotExtras;
}

export interface LoadedCatalog {
  catalog: Catalog;
  /** The value `snapshotExtras.build` gave, read back from the snapshot or built by this load; absent without `snapshotExtras`. */
  extras?: unknown;
  /** `hit`: read from the snapshot; `written`: built, and the snapshot written; `none`: built, no snapshot (no cache folder, or a load not worth keeping). */
  snapshot: 'hit' | 'written' | 'none';
}

/** Assembles parsed pages into a catalog: ids, categories, and the checks that span files. */
export function assembleCatalog(pages: readonly ParsedPage[], extraProblems: readonly Problem[] = [], loadedAt = new Date()): Catalog {
  // Hidden characters go before ids are given: an id comes from the category members see.
  const text = checkText(
    pages.flatMap((p) => p.entries),
    pages.map((p) => p.page),
  );
  const normalizedUrls = text.entries.map((e) => normalizeUrlText(e.url));
  const ids = entryIds(text.entries, normalizedUrls);
  // Every entry is built anew with one shape, and the values many entries repeat are shared: what
  // the parser, the parse cache or a worker handed over (copies, slices of a file's text) is let go.
  const intern = new Interner();
  const entries = text.entries.map((e, i): Entry => ({
    id: ids[i] as string,
    title: e.title,
    url: e.url,
    description: e.description,
    category: intern.string(e.category),
    section: intern.section(e.section),
    page: intern.string(e.page),
    source: { file: intern.string(e.source.file), line: e.source.line },
  }));
  const problems = [...extraProblems, ...pages.flatMap((p) => p.problems), ...text.problems, ...checkCatalog(entries, normalizedUrls)];
  return {
    entries,
    categories: groupCategories(entries),
    pages: text.pages,
    problems: sortProblems(problems).map((p) => ({ ...p, file: intern.string(p.file) })),
    loadedAt,
  };
}

/**
 * Reads every `.md` file at `contentPath` (a file or a folder) into a catalog, using the parse cache
 * and the catalog snapshot when given a cache folder. Each file that must be parsed is parsed within
 * `options.budget`: a file over it is reported at `file:1` and skipped, and the other files still load.
 */
export async function loadCatalog(contentPath: string, options: LoadOptions = {}, cwd = process.cwd()): Promise<Catalog> {
  return (await loadCatalogWithExtras(contentPath, options, cwd)).catalog;
}

/**
 * `loadCatalog`, and the caller's extras kept beside the catalog in its snapshot. With a cache
 * folder, a load whose files (paths and bytes), drafts setting, parser and assembly code are those
 * of the last snapshot reads the assembled catalog back from it instead of parsing or assembling;
 * otherwise it builds the catalog and writes the snapshot (with `snapshotExtras.build(catalog)`).
 */
export async function loadCatalogWithExtras(
  contentPath: string,
  options: SnapshotLoadOptions = {},
  cwd = process.cwd(),
): Promise<LoadedCatalog> {
  const started = Date.now();
  const raw = await readContentBytes(contentPath, cwd);
  const cacheDir = options.cacheDir === undefined || options.cacheDir === false ? undefined : path.resolve(cwd, options.cacheDir);
  const includeDrafts = options.includeDrafts === true;
  const snapshots = cacheDir === undefined ? undefined : new SnapshotStore(cacheDir, options.onWarning ?? warnProcess);
  const key = snapshots && snapshotKey(raw, includeDrafts);
  const slot = snapshotSlot(path.resolve(cwd, contentPath), includeDrafts);
  const extrasSpec = options.snapshotExtras;
  if (snapshots && key !== undefined) {
    const hit = await snapshots.read(slot, key, extrasSpec?.version);
    if (hit) {
      if (!extrasSpec) return { catalog: hit.catalog, snapshot: 'hit' };
      if (hit.extras) return { catalog: hit.catalog, extras: hit.extras.value, snapshot: 'hit' };
      // Written without these extras (by the CLI, or an older index format): add them for next time.
      const extras = await extrasSpec.build(hit.catalog);
      await snapshots.write(slot, key, hit.catalog, { version: extrasSpec.version, value: extras });
      return { catalog: hit.catalog, extras, snapshot: 'hit' };
    }
  }

  const read = decodeContentFiles(raw);
  const cache = cacheDir === undefined ? undefined : new ParseCache(cacheDir);
  const budgeted = options.budget === false ? undefined : new BudgetedParser(options.budget);
  const pages: ParsedPage[] = [];
  const problems = [...read.problems];
  const used = new Set<string>();
  /** A file ran out of time or memory, or crashed the parser: it may load next time, so this load is not kept. */
  let skippedByBudget = false;
  const request = {
    ...(options.includeDrafts === undefined ? {} : { includeDrafts: options.includeDrafts }),
    ...(options.chunkChars === undefined ? {} : { chunkChars: options.chunkChars }),
  };
  try {
    for (const file of read.files) {
      const fileKey = cache ? cacheKey({ file: file.file, text: file.text, includeDrafts }) : undefined;
      if (fileKey !== undefined) used.add(fileKey);
      const hit = fileKey === undefined ? undefined : await cache?.get(fileKey);
      if (hit) {
        pages.push(hit);
        continue;
      }
      let parsed: ParsedPage;
      if (budgeted) {
        const left = options.deadlineMs === undefined ? Infinity : started + options.deadlineMs - Date.now();
        const overTime = `not parsed: the reload ran out of time after ${options.deadlineMs ?? 0} ms (RELOAD_TIMEOUT_SECONDS); skipped`;
        if (left <= 0) {
          skippedByBudget = true;
          problems.push(problem('error', 'parse-timeout', overTime, { file: file.file, line: 1 }));
          continue;
        }
        const outcome = await budgeted.parse(file, request, Number.isFinite(left) ? { timeoutMs: left, overTime } : undefined);
        if (!outcome.ok) {
          skippedByBudget = true;
          problems.push(outcome.problem);
          continue;
        }
        parsed = outcome.parsed;
      } else {
        parsed = (await parser()).parsePage(file, options);
      }
      pages.push(parsed);
      if (fileKey !== undefined) await cache?.set(fileKey, parsed);
    }
  } finally {
    await budgeted?.close();
  }
  // Only a load that wrote something can have left entries nobody uses.
  if (cache && cache.stats.writes > 0) await cache.prune(used);
  const catalog = assembleCatalog(pages, problems);
  const keep = snapshots && key !== undefined && !skippedByBudget;
  const extras = extrasSpec ? await extrasSpec.build(catalog) : undefined;
  if (!keep) return { catalog, ...(extrasSpec ? { extras } : {}), snapshot: 'none' };
  await snapshots.write(slot, key, catalog, extrasSpec ? { version: extrasSpec.version, value: extras } : undefined);
  return { catalog, ...(extrasSpec ? { extras } : {}), snapshot: 'written' };
}

function warnProcess(message: string): void {
  process.emitWarning(message, 'LinkdexWarning');
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
