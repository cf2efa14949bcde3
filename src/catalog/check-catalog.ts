import { wordsOf } from '../text.js';
import { fold, quote } from '../text.js';
import { normalizeUrlText } from './links.js';
import { problem } from './problems.js';
import type { Entry, Problem } from './types.js';

function where(entry: Entry): string {
  return `${entry.source.file}:${entry.source.line}`;
}

/** Two titles for one page normally share a name, whole or inside another word ("hatch", "hatchling"). */
function sharesAWord(a: string, b: string): boolean {
  const wordsA = wordsOf(a).filter((w) => w.length >= 2);
  return wordsOf(b).some((w) => w.length >= 2 && wordsA.some((x) => x.includes(w) || w.includes(x)));
}

/**
 * Checks that need the whole catalog: the same link, or the same title, in two places.
 * `normalizedUrls`: each entry's `normalizeUrlText(url)`, when the caller has them already.
 */
export function checkCatalog(entries: readonly Entry[], normalizedUrls?: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  const byUrl = new Map<string, Entry>();
  // Per title: its first entry, and every (normalised) URL it has been seen with. One pass, so a
  // catalog with thousands of "Docs" links checks in linear time.
  const byTitle = new Map<string, { first: Entry; urls: Set<string> }>();

  entries.forEach((entry, i) => {
    const url = normalizedUrls?.[i] ?? normalizeUrlText(entry.url);
    const first = byUrl.get(url);
    if (first) {
      const hint = sharesAWord(first.title, entry.title)
        ? ''
        : '; the titles have nothing in common, so one of them probably links to the wrong page';
      problems.push(
        problem(
          'warning',
          'duplicate-url',
          `URL ${entry.url} of ${quote(entry.title)} is also the URL of ${quote(first.title)} at ${where(first)}${hint}`,
          entry.source,
        ),
      );
    } else {
      byUrl.set(url, entry);
    }

    const title = fold(entry.title);
    const seen = byTitle.get(title);
    if (!seen) {
      byTitle.set(title, { first: entry, urls: new Set([url]) });
    } else if (!seen.urls.has(url)) {
      const other = seen.first;
      problems.push(
        problem(
          'warning',
          'duplicate-title',
          `title ${quote(entry.title)} is also used at ${where(other)} for a different URL: ${other.url} there, ${entry.url} here`,
          entry.source,
        ),
      );
      seen.urls.add(url);
    }
  });
  return problems;
}

/**
 * A catalog with no entry serves nothing, which is never what its author meant: an error at the
 * content path itself (a folder, or a file), saying what was there.
 */
export function emptyCatalogProblem(where: string, markdownFiles: number): Problem {
  const found =
    markdownFiles === 0
      ? 'no .md file is here'
      : `${markdownFiles === 1 ? 'its .md file has' : `its ${markdownFiles} .md files have`} no link entry`;
  return problem('error', 'empty-catalog', `the catalog is empty: ${found}, so there is nothing to serve`, { file: where, line: 1 });
}
