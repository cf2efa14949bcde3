import type { Definition, Root, RootContent } from 'mdast';
import { visit } from 'unist-util-visit';
import { cutDeepNodes } from './deep-nesting.js';
import { collectDefinitions, createExtractor, extractEntries, type Extracted, type PageContext } from './extract-entries.js';
import { parseMarkdown } from './parse-markdown.js';
import type { Problem } from './types.js';

/**
 * Bodies longer than this are parsed in chunks of about `DEFAULT_CHUNK_CHARS`: remark keeps the
 * whole tree of what it parses alive (about 300 bytes of heap per byte of markdown), so one 10 MB
 * file parsed whole needs some 3 GB.
 */
export const CHUNK_THRESHOLD_CHARS = 1_000_000;
export const DEFAULT_CHUNK_CHARS = 250_000;

export interface Chunk {
  /** Offsets in the body: [start, end). */
  start: number;
  end: number;
  /** How many lines of the body precede the chunk. */
  line: number;
}

const ATX_HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^( {0,3})(`{3,}|~{3,})[ \t]*$/;
/** HTML blocks that run over blank lines (CommonMark kinds 1 to 5), with what ends each. */
const HTML_BLOCKS: readonly { open: RegExp; close: RegExp }[] = [
  { open: /^ {0,3}<(?:script|pre|style|textarea)(?:[\s>]|$)/i, close: /<\/(?:script|pre|style|textarea)>/i },
  { open: /^ {0,3}<!--/, close: /-->/ },
  { open: /^ {0,3}<\?/, close: /\?>/ },
  { open: /^ {0,3}<![A-Za-z]/, close: />/ },
  { open: /^ {0,3}<!\[CDATA\[/, close: /\]\]>/ },
];

function indentOf(line: string): number {
  let n = 0;
  while (line[n] === ' ') n++;
  return n;
}

/**
 * Splits a markdown body into chunks of at least `targetChars` (but the last), each starting with
 * a top-level ATX heading that follows a blank line, outside fenced code and multi-line HTML blocks.
 * Such a heading closes every open block (paragraph, list, table, quote), so parsing the chunks one
 * by one gives the same blocks as parsing the whole body. When the scan cannot be sure of that (a
 * fence opened inside a container), it stops splitting for the rest of the body.
 */
export function splitIntoChunks(body: string, targetChars = DEFAULT_CHUNK_CHARS): Chunk[] {
  const chunks: Chunk[] = [];
  let chunkStart = 0;
  let chunkLine = 0;
  let fence: { char: string; length: number; indent: number } | undefined;
  let htmlClose: RegExp | undefined;
  let previousBlank = false;
  let line = 0;
  for (let pos = 0; pos < body.length; line++) {
    const newline = body.indexOf('\n', pos);
    const end = newline === -1 ? body.length : newline;
    const text = body.slice(pos, end).replace(/\r$/, '');
    const blank = text.trim() === '';

    if (fence) {
      const close = FENCE_CLOSE.exec(text);
      if (close && close[2]?.[0] === fence.char && (close[2]?.length ?? 0) >= fence.length) {
        // A closing fence less indented than its opening one may instead close a container and open
        // a new fence: from here on the scan cannot tell, so it stops splitting.
        if ((close[1]?.length ?? 0) < fence.indent) break;
        fence = undefined;
      } else if (!blank && fence.indent > 0 && indentOf(text) < fence.indent) {
        break;
      }
    } else if (htmlClose) {
      if (htmlClose.test(text)) htmlClose = undefined;
    } else {
      if (previousBlank && pos - chunkStart >= targetChars && ATX_HEADING.test(text)) {
        chunks.push({ start: chunkStart, end: pos, line: chunkLine });
        chunkStart = pos;
        chunkLine = line;
      }
      const open = FENCE_OPEN.exec(text);
      if (open && !(open[2]?.[0] === '`' && open[3]?.includes('`'))) {
        fence = { char: open[2]?.[0] ?? '`', length: open[2]?.length ?? 3, indent: open[1]?.length ?? 0 };
      } else {
        const html = HTML_BLOCKS.find((h) => h.open.test(text));
        if (html && !html.close.test(text.replace(html.open, ''))) htmlClose = html.close;
      }
    }
    previousBlank = blank;
    pos = end + 1;
  }
  chunks.push({ start: chunkStart, end: body.length, line: chunkLine });
  return chunks;
}

/** micromark's label normalisation, then mdast's lower case: what `identifier` holds. */
function labelKey(label: string): string {
  return label
    .replace(/[\t\n\r ]+/g, ' ')
    .replace(/^ | $/g, '')
    .toLowerCase()
    .toUpperCase()
    .toLowerCase();
}

const BRACKETED = /\[((?:[^[\]\\]|\\[\s\S])*)\]/g;

/**
 * Every label a chunk could use as a reference (`[label]`, `[text][label]`, `[^note]`), as keys.
 * A reference's label always appears bracketed in the source, so nothing the parser would
 * resolve is missed; extra keys only cost a stub definition.
 */
function mentionedKeys(text: string): Set<string> {
  const keys = new Set<string>();
  for (const match of text.matchAll(BRACKETED)) {
    const label = match[1] ?? '';
    keys.add(label.startsWith('^') ? `^${labelKey(label.slice(1))}` : labelKey(label));
  }
  return keys;
}

/** A link or footnote definition, as a chunk needs to know of it. */
interface KnownDefinition {
  key: string;
  /** A one-line definition of the same label, for the parser to recognise references to it. */
  stub: string;
  /** For link definitions: what resolves references. */
  definition?: Definition;
}

function definitionsIn(children: readonly RootContent[]): KnownDefinition[] {
  const found: KnownDefinition[] = [];
  for (const root of children) {
    visit(root, ['definition', 'footnoteDefinition'] as const, (node) => {
      if (node.type === 'definition') found.push({ key: node.identifier, stub: `[${node.identifier}]: #`, definition: node });
      else found.push({ key: `^${node.identifier}`, stub: `[^${node.identifier}]: x` });
    });
  }
  return found;
}

class ChunkMismatch extends Error {}

/**
 * Markdown as a tree no deeper than every walk over it can go (`cutDeepNodes`), and what was cut.
 * `lineOffset`: lines before the markdown, added to the lines of the problems.
 */
function parseShallow(markdown: string, file: string, lineOffset: number): { tree: Root; cut: Problem[] } {
  const tree = parseMarkdown(markdown);
  return { tree, cut: cutDeepNodes(tree, file, lineOffset) };
}

/** The whole body as one tree. */
function parseWhole(body: string, ctx: PageContext, options: ParseBodyOptions): Extracted {
  const { tree, cut } = parseShallow(body, ctx.file, ctx.lineOffset);
  options.onChunkParsed?.();
  const extracted = extractEntries(tree, ctx);
  return { entries: extracted.entries, problems: [...cut, ...extracted.problems] };
}

export interface ParseBodyOptions {
  /** Chunk size; bodies up to `CHUNK_THRESHOLD_CHARS` (or this, when smaller) are parsed whole. */
  chunkChars?: number;
  /** Called after each chunk is parsed, while its tree is alive: for measuring the heap. */
  onChunkParsed?: () => void;
}

/**
 * Parses a markdown body and extracts its entries. A big body is parsed chunk by chunk, so only
 * one chunk's tree is alive at a time; the result is the same as for a whole-body parse.
 *
 * Link and footnote references are resolved by the parser only when the label is defined somewhere
 * in the document, so each chunk is parsed after stub definitions of the labels it mentions that
 * are defined in other chunks. A first pass knows the definitions of the chunks before; when a
 * chunk turns out to have mentioned a label defined only later, a second pass runs with every
 * definition known.
 */
export function parseBody(body: string, ctx: PageContext, options: ParseBodyOptions = {}): Extracted {
  const chunkChars = options.chunkChars ?? DEFAULT_CHUNK_CHARS;
  const threshold = Math.min(CHUNK_THRESHOLD_CHARS, chunkChars);
  const chunks = body.length > threshold ? splitIntoChunks(body, chunkChars) : [];
  if (chunks.length < 2) return parseWhole(body, ctx, options);
  try {
    const first = parseChunks(body, chunks, ctx, options);
    if (!first.forwardReference) return first.extracted;
    return parseChunks(body, chunks, ctx, options, first.definitions).extracted;
  } catch (error) {
    if (!(error instanceof ChunkMismatch)) throw error;
    return parseWhole(body, ctx, options);
  }
}

function parseChunks(
  body: string,
  chunks: readonly Chunk[],
  ctx: PageContext,
  options: ParseBodyOptions,
  allDefinitions?: readonly KnownDefinition[],
): { extracted: Extracted; definitions: KnownDefinition[]; forwardReference: boolean } {
  const extractor = createExtractor(ctx);
  const cuts: Problem[] = [];
  const seen: KnownDefinition[] = [];
  /** Per label key: the first chunk that mentions it. */
  const firstMention = new Map<string, number>();
  let forwardReference = false;
  if (allDefinitions) extractor.addDefinitions(allDefinitions.flatMap((d) => (d.definition ? [d.definition] : [])));

  chunks.forEach((chunk, index) => {
    const text = body.slice(chunk.start, chunk.end);
    const mentioned = mentionedKeys(text);
    if (!allDefinitions) for (const key of mentioned) if (!firstMention.has(key)) firstMention.set(key, index);

    const stubs = new Map<string, string>();
    for (const known of allDefinitions ?? seen) if (mentioned.has(known.key)) stubs.set(known.key, known.stub);
    const prefix = stubs.size === 0 ? '' : `${[...stubs.values()].join('\n\n')}\n\n`;
    const prefixLines = stubs.size * 2;

    const { tree, cut } = parseShallow(prefix + text, ctx.file, ctx.lineOffset + chunk.line - prefixLines);
    cuts.push(...cut);
    options.onChunkParsed?.();
    const ownStart = tree.children.findIndex((node) => (node.position?.start.line ?? 0) > prefixLines);
    const own = ownStart === -1 ? [] : tree.children.slice(ownStart);
    const stubNodes = definitionsIn(ownStart === -1 ? tree.children : tree.children.slice(0, ownStart));
    if (stubNodes.length !== stubs.size || stubNodes.some((s) => !stubs.has(s.key))) {
      throw new ChunkMismatch('a stub definition did not parse as itself');
    }

    const defined = definitionsIn(own);
    if (!allDefinitions) {
      for (const d of defined) if ((firstMention.get(d.key) ?? index) < index) forwardReference = true;
      seen.push(...defined);
      extractor.addDefinitions(collectDefinitions({ type: 'root', children: own }));
    }
    extractor.visit(own, ctx.lineOffset + chunk.line - prefixLines);
  });
  const extracted = extractor.finish();
  return { extracted: { entries: extracted.entries, problems: [...cuts, ...extracted.problems] }, definitions: seen, forwardReference };
}
