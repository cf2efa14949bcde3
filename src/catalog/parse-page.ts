import path from 'node:path';
import { quote } from '../text.js';
import { parseBody } from './chunk-markdown.js';
import { blankDeepLines } from './deep-nesting.js';
import { splitFrontMatter } from './front-matter.js';
import { blankLongLines } from './long-lines.js';
import { problem } from './problems.js';
import type { ContentFile } from './read-files.js';
import type { LoadOptions, Page, ParsedPage, Problem } from './types.js';

function pageTitleFromFile(file: string): string {
  return path.posix.basename(file).replace(/\.md$/i, '');
}

/**
 * A copy of `parsed` that shares no string with the file's text. The parser's strings are slices
 * of the text: they keep all of it alive, and one character past U+00FF anywhere in a file makes
 * every one of them two bytes a character, which a structured clone (from the parsing worker) or
 * `v8.serialize` (the catalog snapshot) keeps. A JSON round trip gives flat strings, one byte a
 * character wherever that fits: 870 heap bytes an entry after a cold load of 100k entries became
 * 627 (what a parse-cache hit, read as JSON, always gave), before interning.
 */
function detached(parsed: ParsedPage): ParsedPage {
  return JSON.parse(JSON.stringify(parsed)) as ParsedPage;
}

/** One file's page, entries and problems. Never throws: whatever fails becomes a problem. */
export function parsePage(source: ContentFile, options: LoadOptions = {}): ParsedPage {
  return detached(parseText(source, options));
}

function parseText(source: ContentFile, options: LoadOptions): ParsedPage {
  const { file, text } = source;
  const page: Page = { title: pageTitleFromFile(file), file, draft: false, entryCount: 0 };
  const problems: Problem[] = [];
  try {
    const split = splitFrontMatter(text, file);
    page.title = split.frontMatter.title ?? page.title;
    page.draft = split.frontMatter.draft;
    if (split.frontMatter.date !== undefined) page.date = split.frontMatter.date;
    problems.push(...split.problems);

    if (page.draft && !options.includeDrafts) {
      problems.push(
        problem(
          'info',
          'draft-skipped',
          `draft page ${quote(page.title)} is skipped; set INCLUDE_DRAFTS=true or pass --drafts to include it`,
          { file, line: 1 },
        ),
      );
      return { page, entries: [], problems };
    }

    const short = blankLongLines(split.body, file, split.bodyLineOffset);
    const shallow = blankDeepLines(short.body, file, split.bodyLineOffset);
    problems.push(...short.problems, ...shallow.problems);
    const extracted = parseBody(
      shallow.body,
      { file, page: page.title, lineOffset: split.bodyLineOffset },
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
