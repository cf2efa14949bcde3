import type {
  Definition,
  Heading,
  Link,
  LinkReference,
  List,
  ListItem,
  Nodes,
  Paragraph,
  Root,
  RootContent,
  Table,
  TableCell,
  TableRow,
} from 'mdast';
import { toString } from 'mdast-util-to-string';
import { CONTINUE, EXIT, SKIP, visit } from 'unist-util-visit';
import { collapseWhitespace, hasLetterOrDigit, quote } from '../text.js';
import { isGenericLinkText, titleFromRow } from './table-row-title.js';
import { classifyLink, displayHost, hasTextFragment, isImageOrBadgeUrl, type LinkTarget } from './links.js';
import { problem } from './problems.js';
import type { DraftEntry, Problem } from './types.js';

export interface PageContext {
  file: string;
  page: string;
  /** Lines before the markdown body (the front matter), added to every node's line. */
  lineOffset: number;
}

export interface Extracted {
  entries: DraftEntry[];
  problems: Problem[];
}

type AnyLink = Link | LinkReference;

/** What holds an entry's own text: the paragraphs of a list item, or the cells of a table row. */
type Cell = Paragraph | TableCell;

const SEPARATORS = ['-', '–', '—', ':'];

function isLink(node: Nodes): node is AnyLink {
  return node.type === 'link' || node.type === 'linkReference';
}

function lineOf(node: Nodes | undefined, ctx: PageContext, fallback = 1): number {
  const line = node?.position?.start.line;
  return (line ?? fallback) + ctx.lineOffset;
}

function stripLeadingSeparator(text: string): string {
  let t = text.trim();
  while (t.length > 0 && SEPARATORS.includes(t[0] ?? '')) t = t.slice(1).trimStart();
  return t;
}

function stripTrailingSeparator(text: string): string {
  let t = text.trim();
  while (t.length > 0 && SEPARATORS.includes(t[t.length - 1] ?? '')) t = t.slice(0, -1).trimEnd();
  return t;
}

/** Removes emphasis markers that remark left as literal text because they were never closed. */
function stripStrayMarkup(title: string): { title: string; stray: boolean } {
  let t = title;
  const run = (s: string, fromEnd: boolean): number => {
    let n = 0;
    while (n < s.length && s[fromEnd ? s.length - 1 - n : n] === '*') n++;
    return n;
  };
  const lead = run(t, false);
  if (lead >= 2) t = t.slice(lead).trimStart();
  const trail = run(t, true);
  if (trail >= 2) t = t.slice(0, t.length - trail).trimEnd();
  return { title: t, stray: lead >= 2 || trail >= 2 || t.includes('**') };
}

/**
 * What a node says as a member reads it, when it says it itself: images and raw HTML say nothing,
 * code keeps its text. `undefined` for a node whose children speak for it.
 */
function ownText(node: Nodes): string | undefined {
  switch (node.type) {
    case 'text':
    case 'inlineCode':
      return node.value;
    case 'break':
      return ' ';
    case 'image':
    case 'imageReference':
    case 'html':
    case 'footnoteReference':
      return '';
    default:
      return undefined;
  }
}

/** The text of `root` as a member reads it (see `ownText`). */
function inlineText(root: Nodes): string {
  let out = '';
  visit(root, (node) => {
    const text = ownText(node);
    if (text === undefined) return CONTINUE;
    out += text;
    return SKIP;
  });
  return out;
}

/** A link whose only content is pictures: a badge, a logo, a screenshot. */
function isPictureLink(node: Nodes): node is AnyLink {
  return (
    isLink(node) &&
    node.children.some((c) => c.type === 'image' || c.type === 'imageReference') &&
    node.children.every((c) => c.type === 'image' || c.type === 'imageReference' || (c.type === 'text' && c.value.trim() === ''))
  );
}

/**
 * An item's text without its link, cell by cell: what stands before the link (less a trailing
 * separator) and after it (less a leading one) in the link's own cell, the whole text of the others.
 */
function textsWithout(cells: readonly Cell[], link: AnyLink): string[][] {
  return cells.map((cell) => {
    let before = '';
    let after = '';
    let passed = false;
    visit(cell, (node) => {
      if (node === link) {
        passed = true;
        return SKIP;
      }
      if (isPictureLink(node)) return SKIP;
      const text = ownText(node);
      if (text === undefined) return CONTINUE;
      if (passed) after += text;
      else before += text;
      return SKIP;
    });
    if (!passed) return [collapseWhitespace(before)];
    return [collapseWhitespace(stripTrailingSeparator(before)), collapseWhitespace(stripLeadingSeparator(after))];
  });
}

/** Texts of cells joined as a description: "Vite · Next generation frontend tooling". */
function joinTexts(cells: readonly (readonly string[])[]): string {
  return cells
    .flat()
    .filter((p) => p !== '')
    .join(' · ');
}

/** Every link definition below `node`, in document order. */
export function collectDefinitions(node: Nodes, into: Definition[] = []): Definition[] {
  visit(node, 'definition', (definition) => {
    into.push(definition);
  });
  return into;
}

/**
 * Extraction that can be fed a page's top-level blocks in several parts (the chunks of a big file),
 * carrying the heading stack and the pending "empty category" check from one part to the next, so
 * the result is the same as for one tree holding every part.
 */
export interface EntryExtractor {
  /** Adds link definitions in document order; a later definition of a label wins, as in one tree. */
  addDefinitions(definitions: readonly Definition[]): void;
  /** Visits the next top-level blocks; `lineOffset` is added to their lines (replaces ctx.lineOffset). */
  visit(children: readonly RootContent[], lineOffset: number): void;
  /** The entries and problems, after the last part. */
  finish(): Extracted;
}

export function extractEntries(tree: Root, ctx: PageContext): Extracted {
  const extractor = createExtractor(ctx);
  extractor.addDefinitions(collectDefinitions(tree));
  extractor.visit(tree.children, ctx.lineOffset);
  return extractor.finish();
}

export function createExtractor(page: PageContext): EntryExtractor {
  const entries: DraftEntry[] = [];
  const problems: Problem[] = [];
  const definitions = new Map<string, Definition>();
  const headings: { depth: number; text: string }[] = [];
  // The part being visited: its line offset. A copy, so the caller's context is never changed.
  const ctx: PageContext = { ...page };
  /** The last top-level block visited, when it is a heading: its "empty category" check needs the next block. */
  let pendingHeading: { heading: Heading; lineOffset: number } | undefined;

  const hrefOf = (link: AnyLink): string | undefined =>
    link.type === 'link' ? link.url : definitions.get(link.identifier.toLowerCase())?.url;

  const targetOf = (link: AnyLink): LinkTarget | undefined => {
    const href = hrefOf(link);
    return href === undefined ? undefined : classifyLink(href);
  };

  const linkLabel = (link: AnyLink): string => {
    const text = collapseWhitespace(inlineText(link));
    return text === '' ? 'with no text' : quote(text);
  };

  /** Reports what is wrong with every link in `block`; `entryPosition` adds checks only entries need. */
  const checkLinks = (block: Cell | Heading, entryPosition: boolean): void => {
    const check = (node: AnyLink): void => {
      const target = targetOf(node);
      const at = { file: ctx.file, line: lineOf(node, ctx) };
      if (target?.kind === 'unsafe') {
        problems.push(
          problem(
            'error',
            'unsafe-scheme',
            `link ${linkLabel(node)} uses the ${target.scheme}: scheme; only http and https links are served`,
            at,
          ),
        );
      } else if (target?.kind === 'invalid') {
        problems.push(
          problem(
            'error',
            'invalid-url',
            `link ${linkLabel(node)} has an invalid URL ${quote(hrefOf(node) ?? '', 120)}: ${target.reason}`,
            at,
          ),
        );
      } else if (target?.kind === 'other-scheme' && entryPosition) {
        problems.push(
          problem(
            'warning',
            'other-scheme',
            `link ${linkLabel(node)} uses the ${target.scheme}: scheme; only http and https links become entries`,
            at,
          ),
        );
      }
    };
    visit(block, ['link', 'linkReference'] as const, check);
  };

  const checkStrayText = (paragraph: Paragraph): void => {
    const text = toString(paragraph, { includeImageAlt: false }).trim();
    const hasMedia = paragraph.children.some((c) => c.type !== 'text');
    if (text !== '' && !hasMedia && !hasLetterOrDigit(text)) {
      problems.push(
        problem('warning', 'stray-text', `stray text ${quote(text)} with no words or link; leftover markup?`, {
          file: ctx.file,
          line: lineOf(paragraph, ctx),
        }),
      );
    }
  };

  /** The link an item is about: its first http(s) link that is not a picture. */
  const findEntryLink = (cells: readonly Cell[]): { link: AnyLink; url: URL; parent: readonly Nodes[]; index: number } | undefined => {
    let found: ReturnType<typeof findEntryLink>;
    for (const cell of cells) {
      // What is inside a link is never an entry's link, whether or not the link is one.
      visit(cell, (node, index, parent) => {
        // Only the cell itself has no parent, and it is no link.
        if (!isLink(node) || !parent || index === undefined) return CONTINUE;
        const target = targetOf(node);
        if (target?.kind !== 'web' || isPictureLink(node) || isImageOrBadgeUrl(target.url)) return SKIP;
        found = { link: node, url: target.url, parent: parent.children, index };
        return EXIT;
      });
      if (found) return found;
    }
    return undefined;
  };

  const currentCategory = (): { category: string; section: string[] } => {
    const named = headings.filter((h) => h.text !== '').map((h) => h.text);
    const category = named[named.length - 1];
    return category === undefined ? { category: ctx.page, section: [] } : { category, section: named };
  };

  /** Builds the entry for an item or table row whose own text is `cells`. */
  const addEntry = (cells: readonly Cell[], owner: Nodes, table?: { headers: string[] }): void => {
    const found = findEntryLink(cells);
    if (!found) return;
    const { link, url, parent, index } = found;
    const at = { file: ctx.file, line: lineOf(link, ctx, owner.position?.start.line) };

    let title = collapseWhitespace(inlineText(link));
    const cleaned = stripStrayMarkup(title);
    if (cleaned.stray) {
      problems.push(
        problem('warning', 'stray-markup', `title ${quote(title, 200)} contains stray * characters; check the emphasis markup`, at),
      );
      title = cleaned.title;
    }
    if (title === '') {
      title = collapseWhitespace(`${displayHost(url.href)}${url.pathname === '/' ? '' : url.pathname}`);
      problems.push(
        problem(
          'warning',
          'empty-link-text',
          `link to ${quote(link.type === 'link' ? link.url : title, 120)} has no text; its address is shown instead`,
          at,
        ),
      );
    }

    const linkTitle = title;
    const texts = textsWithout(cells, link);
    let description = joinTexts(texts);
    // In a table the link is often a "site" or "GitHub" column beside the name: the row names the entry.
    const fromRow = table && isGenericLinkText(title, url.href) ? titleFromRow(texts, table.headers) : undefined;
    if (fromRow) ({ title, description } = fromRow);

    const next = parent[index + 1];
    if (next?.type === 'text' && hasLetterOrDigit(next.value.charAt(0))) {
      const glued = next.value.trim().split(/\s+/u)[0] ?? '';
      problems.push(problem('warning', 'glued-text', `text ${quote(glued)} is stuck to the end of link ${quote(linkTitle)}; a typo?`, at));
    }
    if (hasTextFragment(url)) {
      problems.push(
        problem(
          'warning',
          'text-fragment',
          `link ${quote(title)} uses a text fragment (#:~:text=), which breaks when the page changes; link to the page itself`,
          at,
        ),
      );
    }

    const { category, section } = currentCategory();
    if (section.length === 0) {
      problems.push(
        problem(
          'warning',
          'outside-heading',
          `link ${quote(title)} is not under any heading; it is filed under the page title ${quote(ctx.page)}`,
          at,
        ),
      );
    }
    entries.push({
      title,
      url: (hrefOf(link) ?? url.href).trim(),
      description,
      category,
      section,
      page: ctx.page,
      source: at,
    });
  };

  const visitItem = (item: ListItem): void => {
    const cells: Paragraph[] = [];
    for (const child of item.children) {
      if (child.type === 'list') continue;
      if (child.type === 'paragraph') {
        checkLinks(child, true);
        checkStrayText(child);
        cells.push(child);
      } else {
        visitBlock(child);
      }
    }
    addEntry(cells, item);
    for (const child of item.children) if (child.type === 'list') visitList(child);
  };

  const visitList = (list: List): void => {
    for (const item of list.children) visitItem(item);
  };

  const visitRow = (row: TableRow, header: boolean, headers: string[]): void => {
    for (const cell of row.children) checkLinks(cell, !header);
    if (!header) addEntry(row.children, row, { headers });
  };

  const visitTable = (table: Table): void => {
    const headers = (table.children[0]?.children ?? []).map((cell) => collapseWhitespace(inlineText(cell)));
    table.children.forEach((row, i) => visitRow(row, i === 0, headers));
  };

  const visitHeading = (heading: Heading): void => {
    checkLinks(heading, false);
    const text = collapseWhitespace(toString(heading, { includeImageAlt: false }));
    while ((headings[headings.length - 1]?.depth ?? 0) >= heading.depth) headings.pop();
    headings.push({ depth: heading.depth, text });
    if (text === '') {
      const parent = currentCategory();
      const fallback =
        parent.section.length > 0 ? `its links are filed under ${quote(parent.category)}` : 'its links are filed under the page title';
      problems.push(
        problem('warning', 'empty-heading', `heading has no text; ${fallback}`, { file: ctx.file, line: lineOf(heading, ctx) }),
      );
    }
  };

  /** Visits a block; one this does not know (a quote, a footnote) is gone through for the blocks it holds. */
  function visitBlock(block: RootContent): void {
    visit(block, (node) => {
      switch (node.type) {
        case 'heading':
          visitHeading(node);
          return SKIP;
        case 'list':
          visitList(node);
          return SKIP;
        case 'listItem':
          visitItem(node);
          return SKIP;
        case 'table':
          visitTable(node);
          return SKIP;
        case 'paragraph':
          checkLinks(node, false);
          checkStrayText(node);
          return SKIP;
        case 'html':
        case 'code':
        case 'definition':
        case 'thematicBreak':
        case 'yaml':
          return SKIP;
        default:
          return CONTINUE;
      }
    });
  }

  function settlePending(next: RootContent | undefined): void {
    if (!pendingHeading) return;
    const own = ctx.lineOffset;
    ctx.lineOffset = pendingHeading.lineOffset;
    reportIfEmpty(pendingHeading.heading, next);
    ctx.lineOffset = own;
    pendingHeading = undefined;
  }

  function reportIfEmpty(heading: Heading, next: RootContent | undefined): void {
    const isParent = next?.type === 'heading' && next.depth > heading.depth;
    const emptySection = next === undefined || (next.type === 'heading' && !isParent);
    const text = collapseWhitespace(toString(heading, { includeImageAlt: false }));
    if (emptySection && text !== '') {
      problems.push(
        problem('warning', 'empty-category', `category ${quote(text)} has no links under it`, {
          file: ctx.file,
          line: lineOf(heading, ctx),
        }),
      );
    }
  }

  return {
    addDefinitions(list) {
      for (const definition of list) definitions.set(definition.identifier.toLowerCase(), definition);
    },
    visit(children, lineOffset) {
      ctx.lineOffset = lineOffset;
      children.forEach((node, i) => {
        if (i === 0) settlePending(node);
        visitBlock(node);
        if (node.type !== 'heading') return;
        const next = children[i + 1];
        if (next === undefined) pendingHeading = { heading: node, lineOffset };
        else reportIfEmpty(node, next);
      });
    },
    finish() {
      settlePending(undefined);
      return { entries, problems };
    },
  };
}
