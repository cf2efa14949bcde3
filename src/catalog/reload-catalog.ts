import { assembleCatalog } from './load-catalog.js';
import { problem } from './problems.js';
import type { Catalog, Entry, ParsedPage, Problem } from './types.js';

export interface ReloadSummary {
  added: number;
  removed: number;
  changed: number;
  /** Files whose new version is broken, whose previous entries are served instead. */
  keptFromBefore: string[];
}

/** Errors that mean a file could not be read as intended, as opposed to a flaw in one link. */
const BREAKING = new Set(['unreadable', 'front-matter-unclosed', 'front-matter-invalid', 'parse-timeout', 'parse-memory']);

/**
 * Problems `assembleCatalog` finds again in entries' text when a merged catalog is assembled (the
 * text is already clean of hidden characters, so those are not found twice), like the checks that
 * span files: carried over, they would be reported twice.
 */
const FOUND_AGAIN = new Set(['duplicate-url', 'duplicate-title', 'line-markup', 'mention-syntax', 'url-backslash']);

function countByFile(entries: readonly Entry[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.source.file, (counts.get(e.source.file) ?? 0) + 1);
  return counts;
}

function sameEntry(a: Entry, b: Entry): boolean {
  return (
    a.title === b.title &&
    a.url === b.url &&
    a.description === b.description &&
    a.category === b.category &&
    a.page === b.page &&
    a.source.line === b.source.line &&
    a.section.join('\n') === b.section.join('\n')
  );
}

/**
 * The catalog to serve after a reload. A file the new load could not read properly (now binary,
 * unreadable, or with broken front matter) and that has fewer entries than before keeps its
 * previous entries, so an editor's half-saved file does not empty a category; its problems are
 * still reported. Everything else is the new load.
 */
export function mergeReload(previous: Catalog, next: Catalog): { catalog: Catalog; summary: ReloadSummary } {
  // Usually no file lost links to breakage, and the new load is served as it is: assembling it
  // again would hold this thread for as long as the load's own assembly (a second at 100k entries).
  const brokenFiles = new Set(next.problems.filter((p) => p.severity === 'error' && BREAKING.has(p.code)).map((p) => p.file));
  const countBefore = countByFile(previous.entries);
  const countAfter = countByFile(next.entries);
  const shrunk = [...brokenFiles].some((file) => (countAfter.get(file) ?? 0) < (countBefore.get(file) ?? 0));
  if (!shrunk) return { catalog: next, summary: summarise(previous, next, []) };

  const files = new Set([...previous.pages.map((p) => p.file), ...next.pages.map((p) => p.file), ...next.problems.map((p) => p.file)]);
  const keptFromBefore: string[] = [];
  const pages: ParsedPage[] = [];
  /** Problems of files that have no page at all (new and already broken): still reported. */
  const pageless: Problem[] = [];
  for (const file of [...files].sort()) {
    const before = previous.entries.filter((e) => e.source.file === file);
    const after = next.entries.filter((e) => e.source.file === file);
    const broken = next.problems.some((p) => p.file === file && p.severity === 'error' && BREAKING.has(p.code));
    const page = next.pages.find((p) => p.file === file) ?? (broken ? previous.pages.find((p) => p.file === file) : undefined);
    // No page now and nothing broken: the file was deleted, and its links go with it.
    if (!page) {
      pageless.push(...next.problems.filter((p) => p.file === file && !FOUND_AGAIN.has(p.code)));
      continue;
    }
    if (broken && after.length < before.length) {
      keptFromBefore.push(file);
      const oldPage = previous.pages.find((p) => p.file === file) ?? page;
      pages.push({
        page: oldPage,
        entries: before.map(({ id, ...rest }) => rest),
        problems: [
          // What the assembly finds again is found in the entries served, the previous ones.
          ...next.problems.filter((p) => p.file === file && !FOUND_AGAIN.has(p.code)),
          problem(
            'warning',
            'kept-previous',
            `the file is broken; its ${before.length} previous links are still served until it is fixed`,
            {
              file,
              line: 1,
            },
          ),
        ],
      });
    } else {
      // The checks the merged catalog's assembly runs again: their problems are not carried over.
      const own = next.problems.filter((p) => p.file === file && !FOUND_AGAIN.has(p.code));
      pages.push({ page, entries: after.map(({ id, ...rest }) => rest), problems: own });
    }
  }
  const catalog = assembleCatalog(pages, pageless, next.loadedAt);
  return { catalog, summary: summarise(previous, catalog, keptFromBefore) };
}

function summarise(previous: Catalog, catalog: Catalog, keptFromBefore: string[]): ReloadSummary {
  const oldById = new Map(previous.entries.map((e) => [e.id, e]));
  const newById = new Map(catalog.entries.map((e) => [e.id, e]));
  let added = 0;
  let changed = 0;
  for (const [id, entry] of newById) {
    const old = oldById.get(id);
    if (!old) added += 1;
    else if (!sameEntry(old, entry)) changed += 1;
  }
  const removed = [...oldById.keys()].filter((id) => !newById.has(id)).length;
  return { added, removed, changed, keptFromBefore };
}
