import type { Nodes, Root } from 'mdast';
import { plural } from '../text.js';
import { problem } from './problems.js';
import type { Problem } from './types.js';

/**
 * Lines nested deeper than this are blanked before parsing. Parsing a nested list costs about its
 * size times its depth (each level re-walks what it contains), and a single line of `- - - …`
 * nests as deep as it is long; link catalogs nest two or three levels.
 */
export const MAX_NESTING = 10;

/** Columns of indentation that count as one level (a list's content is indented 2 to 4). */
const COLUMNS_PER_LEVEL = 4;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * How deeply a line is nested, as far as its start shows it: one level per `>` and per list marker
 * (`-`, `+`, `*`, `1.`, `1)` before a space) that begins it, and one per four columns of indentation.
 * A cheap bound, not a parse: it stops counting past `limit`.
 */
export function nestingOf(line: string, limit = MAX_NESTING): number {
  let containers = 0;
  let columns = 0;
  let i = 0;
  while (i < line.length && containers + Math.floor(columns / COLUMNS_PER_LEVEL) <= limit) {
    const code = line.charCodeAt(i);
    if (code === 32) {
      columns += 1;
      i += 1;
      continue;
    }
    if (code === 9) {
      columns += 4 - (columns % 4);
      i += 1;
      continue;
    }
    let end = i;
    if (code === 62) end = i + 1;
    else if (code === 45 || code === 43 || code === 42) end = i + 1;
    else if (isDigit(code)) {
      while (end < line.length && end - i < 9 && isDigit(line.charCodeAt(end))) end++;
      const delimiter = line.charCodeAt(end);
      if (delimiter !== 46 && delimiter !== 41) break;
      end += 1;
    } else break;
    const after = line.charCodeAt(end);
    // `>` needs nothing after it; a list marker needs a space, a tab or the end of the line.
    if (code !== 62 && end < line.length && after !== 32 && after !== 9) break;
    containers += 1;
    i = end;
  }
  return containers + Math.floor(columns / COLUMNS_PER_LEVEL);
}

/** Blanks lines nested deeper than MAX_NESTING, keeping every newline so line numbers hold. */
export function blankDeepLines(body: string, file: string, lineOffset: number, limit = MAX_NESTING): { body: string; problems: Problem[] } {
  const problems: Problem[] = [];
  const lines = body.split('\n');
  let changed = false;
  lines.forEach((line, i) => {
    if (nestingOf(line, limit) > limit) {
      problems.push(
        problem('warning', 'too-deep', `line is nested over ${plural(limit, 'level')} deep (lists, quotes or indentation); it is ignored`, {
          file,
          line: i + 1 + lineOffset,
        }),
      );
      lines[i] = '';
      changed = true;
    }
  });
  return { body: changed ? lines.join('\n') : body, problems };
}

/**
 * What is deeper than this in a parsed tree is cut off. Lines are at most MAX_NESTING containers
 * deep by then, but inline markup nests as deep as a line is long: `*` 2,000 times on each side of
 * a word makes a tree 1,000 deep. The walks over a tree (unist-util-visit, mdast-util-to-string)
 * recurse a stack frame or more a level, and overflow the stack a few thousand levels down.
 */
export const MAX_TREE_DEPTH = 1000;

/**
 * Cuts off, in place, the children of the nodes `limit` levels down, without recursing, and
 * reports each line where it did; line numbers in `tree` are 1-based, `lineOffset` is added.
 */
export function cutDeepNodes(tree: Root, file: string, lineOffset: number, limit = MAX_TREE_DEPTH): Problem[] {
  const lines = new Set<number>();
  // Two stacks instead of a stack of pairs: this runs over every node of every file.
  const nodes: Nodes[] = [tree];
  const depths: number[] = [0];
  for (let node = nodes.pop(); node; node = nodes.pop()) {
    const depth = depths.pop() ?? 0;
    if (!('children' in node) || node.children.length === 0) continue;
    if (depth < limit) {
      for (const child of node.children) {
        nodes.push(child);
        depths.push(depth + 1);
      }
    } else {
      node.children.length = 0;
      lines.add((node.position?.start.line ?? 1) + lineOffset);
    }
  }
  return [...lines]
    .sort((a, b) => a - b)
    .map((line) =>
      problem(
        'warning',
        'too-deep',
        `text is nested over ${limit.toLocaleString('en-US')} levels deep (emphasis, links or strikethrough); what is deeper is ignored`,
        {
          file,
          line,
        },
      ),
    );
}
