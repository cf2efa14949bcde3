import type {
  Definition,
  Heading,
  Link,
  LinkReference,
  List,
  ListItem,
  Nodes,
  Paragraph,
  PhrasingContent,
  Root,
  RootContent,
  Table,
  TableRow,
} from 'mdast';
import { toString } from 'mdast-util-to-string';
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

const SEPARATORS = ['-', '–', '—', ':'];

function isLink(node: Nodes): node is AnyLink {
  return node.type === 'link' || node.type === 'linkReference';
}

function hasChildren(node: Nodes): node is Extract<Nodes, { children: unknown[] }> {
  return 'children' in node && Array.isArray(node.children);
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

/** Text as a member reads it: images and raw HTML say nothing, code keeps its text. */
function inlineText(nodes: readonly Nodes[], skip?: (node: Nodes) => boolean): string {
  let out = '';
  const walk = (node: Nodes): void => {
    if (skip?.(node)) return;
    switch (node.type) {
      case 'text':
      case 'inlineCode':
        out += node.value;
        return;
      case 'break':
        out += ' ';
        return;
      case 'image':
      case 'imageReference':
      case 'html':
      case 'footnoteReference':
        return;
      default:
        if (hasChildren(node)) for (const child of node.children as Nodes[]) walk(child);
    }
  };
  for (const node of nodes) walk(node);
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
function textsWithout(cells: readonly (readonly PhrasingContent[])[], link: AnyLink): string[][] {
  return cells.map((cell) => {
    if (!cell.some((n) => containsNode(n, link))) return [collapseWhitespace(inlineText(cell, isPictureLink))];
    let before = '';
    let after = '';
    let passed = false;
    const walk = (node: Nodes): void => {
      if (node === link) passed = true;
      else if (isPictureLink(node)) return;
      else if (hasChildren(node) && containsNode(node, link)) for (const child of node.children as Nodes[]) walk(child);
      else if (passed) after += inlineText([node], isPictureLink);
      else before += inlineText([node], isPictureLink);
    };
    for (const node of cell) walk(node);
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
  if (node.type === 'definition') into.push(node);
  else if (hasChildren(node)) for (const child of node.children as Nodes[]) collectDefinitions(child, into);
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
    const text = collapseWhitespace(inlineText([link]));
    return text === '' ? 'with no text' : quote(text);
  };

  /** Reports what is wrong with every link in these inline nodes; `entryPosition` adds checks only entries need. */
  const checkLinks = (nodes: readonly Nodes[], entryPosition: boolean): void => {
    const walk = (node: Nodes): void => {
      if (isLink(node)) {
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
      }
      if (hasChildren(node)) for (const child of node.children as Nodes[]) walk(child);
    };
    for (const node of nodes) walk(node);
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
  const findEntryLink = (
    cells: readonly (readonly PhrasingContent[])[],
  ): { link: AnyLink; url: URL; parent: readonly Nodes[]; index: number } | undefined => {
    const search = (siblings: readonly Nodes[]): ReturnType<typeof findEntryLink> => {
      for (let index = 0; index < siblings.length; index++) {
        const node = siblings[index] as Nodes;
        if (isLink(node)) {
          const target = targetOf(node);
          if (target?.kind === 'web' && !isPictureLink(node) && !isImageOrBadgeUrl(target.url)) {
            return { link: node, url: target.url, parent: siblings, index };
          }
        } else if (hasChildren(node)) {
          const found = search(node.children as Nodes[]);
          if (found) return found;
        }
      }
      return undefined;
    };
    for (const cell of cells) {
      const found = search(cell);
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
  const addEntry = (cells: readonly (readonly PhrasingContent[])[], owner: Nodes, table?: { headers: string[] }): void => {
    const found = findEntryLink(cells);
    if (!found) return;
    const { link, url, parent, index } = found;
    const at = { file: ctx.file, line: lineOf(link, ctx, owner.position?.start.line) };

    let title = collapseWhitespace(inlineText([link]));
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
    const cells: PhrasingContent[][] = [];
    for (const child of item.children) {
      if (child.type === 'list') continue;
      if (child.type === 'paragraph') {
        checkLinks(child.children, true);
        checkStrayText(child);
        cells.push(child.children);
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
    const cells = row.children.map((cell) => cell.children);
    for (const cell of cells) checkLinks(cell, !header);
    if (!header) addEntry(cells, row, { headers });
  };

  const visitTable = (table: Table): void => {
    const headers = (table.children[0]?.children ?? []).map((cell) => collapseWhitespace(inlineText(cell.children)));
    table.children.forEach((row, i) => visitRow(row, i === 0, headers));
  };

  const visitHeading = (heading: Heading): void => {
    checkLinks(heading.children, false);
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

  function visitBlock(node: RootContent | Nodes): void {
    switch (node.type) {
      case 'heading':
        visitHeading(node);
        return;
      case 'list':
        visitList(node);
        return;
      case 'listItem':
        visitItem(node);
        return;
      case 'table':
        visitTable(node);
        return;
      case 'paragraph':
        checkLinks(node.children, false);
        checkStrayText(node);
        return;
      case 'html':
      case 'code':
      case 'definition':
      case 'thematicBreak':
      case 'yaml':
        return;
      default:
        if (hasChildren(node)) for (const child of node.children as Nodes[]) visitBlock(child);
    }
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

function containsNode(root: Nodes, target: Nodes): boolean {
  if (root === target) return true;
  return hasChildren(root) && (root.children as Nodes[]).some((child) => containsNode(child, target));
}
