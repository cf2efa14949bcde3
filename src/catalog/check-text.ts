import path from 'node:path';
import { collapseWhitespace, hasHiddenCharacter, hasVisibleCharacter, hiddenCharacters, quote, withoutHiddenCharacters } from '../text.js';
import { displayHost } from './links.js';
import { problem } from './problems.js';
import type { Page, Problem, SourceRef } from './types.js';

/** What the checks need of an entry; ids come later, from the cleaned text. */
interface TextEntry {
  title: string;
  url: string;
  description: string;
  category: string;
  section: string[];
  page: string;
  source: SourceRef;
}

export interface CleanedText<T> {
  entries: T[];
  pages: Page[];
  problems: Problem[];
}

/** Markup that changes a whole line in Discord, where text starts one. */
const LINE_MARKUP: { pattern: RegExp; shows: string }[] = [
  { pattern: /^-#[ \t]/, shows: 'as small grey subtext' },
  { pattern: /^#{1,3}[ \t]/, shows: 'as a heading' },
  { pattern: /^>{1,3}[ \t]/, shows: 'as a quote' },
];

/** Mentions, commands, channels, timestamps and server links: Discord draws these as pills or dates. */
const MENTION =
  /<(?:@[!&]?\d+|#\d+|\/[^<>:]{1,100}:\d+|t:-?\d+(?::[a-zA-Z])?|\d+:(?:customize|browse|guide|linked-roles)[^<>]*)>|@(?:everyone|here)\b/i;

/** How a problem names the text it is about: "description “…” of “Title”". */
function label(what: string, text: string, of: string | undefined): string {
  return `${what} ${quote(text, 80)}${of === undefined ? '' : ` of ${quote(of)}`}`;
}

/** Text without hidden characters, on one line (entries already are; removing a character can leave two spaces). */
function visible(text: string): string {
  return hasHiddenCharacter(text) ? collapseWhitespace(withoutHiddenCharacters(text)) : text;
}

/**
 * Checks the text of every entry for what would disguise it or turn into something else in Discord,
 * reports each at its file:line, and returns the entries without hidden characters: bidi controls
 * (U+202E, a right-to-left override, before "gnp.exe" shows "exe.png") and invisible ones
 * (zero-width spaces, fillers). A title or heading of nothing but those is treated as missing. Markup and mentions stay
 * in the text, since the renderers escape them; they are reported because the author likely did
 * not mean them.
 */
export function checkText<T extends TextEntry>(entries: readonly T[], pages: readonly Page[]): CleanedText<T> {
  const problems: Problem[] = [];
  /** Headings and page titles are shared by many entries: each is reported once per file. */
  const reported = new Set<string>();

  const hidden = (what: string, raw: string, at: SourceRef, removedFrom: string, of?: string): void => {
    if (!hasHiddenCharacter(raw)) return;
    const { bidi, invisible } = hiddenCharacters(raw);
    const shown = label(what, raw, of);
    if (bidi.length > 0) {
      problems.push(
        problem(
          'warning',
          'bidi-control',
          `${shown} contains ${bidi.join(', ')}, which can make text read backwards or out of order; ${removedFrom}`,
          at,
        ),
      );
    }
    if (invisible.length > 0) {
      problems.push(problem('warning', 'invisible-character', `${shown} contains invisible ${invisible.join(', ')}; ${removedFrom}`, at));
    }
  };

  /** `lineStart`: the text can start a line in Discord (a description, a category); a title never does. */
  const markup = (what: string, text: string, at: SourceRef, of: string | undefined, lineStart = true): void => {
    const start = lineStart ? LINE_MARKUP.find((m) => m.pattern.test(text)) : undefined;
    if (start) {
      const marker = text.slice(0, text.search(/[ \t]/) + 1);
      problems.push(
        problem(
          'warning',
          'line-markup',
          `${label(what, text, of)} starts with “${marker}”, which Discord shows ${start.shows}; it is shown as written`,
          at,
        ),
      );
    }
    const mention = MENTION.exec(text);
    if (mention) {
      problems.push(
        problem(
          'warning',
          'mention-syntax',
          `${label(what, text, of)} contains “${mention[0]}”, which Discord shows as a mention; it is shown as written and pings nobody`,
          at,
        ),
      );
    }
  };

  /** Checks one shared name (a heading, a page title) once per file, and gives its visible text. */
  const sharedName = (kind: string, raw: string, at: SourceRef, instead: string): string => {
    const clean = visible(raw);
    const key = `${at.file}\n${kind}\n${raw}`;
    if (reported.has(key)) return clean;
    reported.add(key);
    if (!hasVisibleCharacter(clean)) {
      if (raw.trim() !== '') problems.push(problem('warning', 'invisible-text', `${kind} has only invisible characters; ${instead}`, at));
      return clean;
    }
    hidden(kind, raw, at, 'it is removed');
    markup(kind, clean, at, undefined);
    return clean;
  };

  /** A page title nobody can see is replaced by the file name, as when it has none. */
  const pageTitle = (raw: string, file: string): string => {
    const title = sharedName('page title', raw, { file, line: 1 }, 'the file name is used instead');
    return hasVisibleCharacter(title) ? title : path.posix.basename(file).replace(/\.md$/i, '');
  };
  const cleanPages = pages.map((p) => {
    const title = pageTitle(p.title, p.file);
    return title === p.title ? p : { ...p, title };
  });

  /** The headings of the previous entry: most entries share them with the one before, so they are checked once. */
  let previous: { of: TextEntry; page: string; section: string[]; category: string } | undefined;
  const sameHeadings = (a: TextEntry, b: TextEntry): boolean =>
    a.source.file === b.source.file &&
    a.page === b.page &&
    a.section.length === b.section.length &&
    a.section.every((heading, i) => heading === b.section[i]);

  const cleaned = entries.map((entry) => {
    const at = entry.source;
    if (!previous || !sameHeadings(previous.of, entry)) {
      const page = pageTitle(entry.page, at.file);
      const section = entry.section
        .map((heading) => sharedName('the heading of this link', heading, at, 'its links are filed under the heading above it'))
        .filter(hasVisibleCharacter);
      const category = entry.section.length === 0 ? page : (section[section.length - 1] ?? page);
      previous = { of: entry, page, section, category };
    }
    const { page, section, category } = previous;

    let title = visible(entry.title);
    if (hasVisibleCharacter(title)) {
      hidden('title', entry.title, at, 'it is removed');
      markup('title', title, at, undefined, false);
    } else {
      title = addressOf(entry.url);
      problems.push(
        problem(
          'warning',
          'invisible-text',
          `link to ${quote(entry.url, 120)} has a title of only invisible characters; its address is shown instead`,
          at,
        ),
      );
    }

    const description = visible(entry.description);
    hidden('description', entry.description, at, 'it is removed', title);
    markup('description', description, at, title);

    hidden('URL', entry.url, at, 'it is sent percent-encoded', title);
    if (entry.url.includes('\\')) {
      const where = entry.url.endsWith('\\') ? 'ends in' : 'contains';
      problems.push(
        problem(
          'warning',
          'url-backslash',
          `URL ${quote(entry.url, 120)} of ${quote(title)} ${where} a backslash, which browsers may read as “/”; a typo? It is sent as %5C`,
          at,
        ),
      );
    }

    const same =
      title === entry.title &&
      description === entry.description &&
      category === entry.category &&
      page === entry.page &&
      section.length === entry.section.length &&
      section.every((s, i) => s === entry.section[i]);
    return same ? entry : { ...entry, title, description, category, section, page };
  });
  return { entries: cleaned, pages: cleanPages, problems };
}

/** What stands for a title nobody can see: the address without its scheme, as for a link with no text. */
function addressOf(url: string): string {
  try {
    const parsed = new URL(url);
    return collapseWhitespace(`${displayHost(parsed.href)}${parsed.pathname === '/' ? '' : parsed.pathname}`) || parsed.href;
  } catch {
    return url;
  }
}
