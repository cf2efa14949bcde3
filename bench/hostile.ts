/**
 * Markdown built to cost a parser far more than its size suggests (issue 13): for the tests that
 * reproduce each attack and for `npm run bench -- --hostile`. Every generator is deterministic.
 */

/** `*a_*a_…`: micromark's emphasis matching is quadratic in it (100 KB took 87 s). Lines of 999 characters, under the long-line limit. */
export function emphasisBomb(bytes: number): string {
  const line = '*a_'.repeat(333);
  return `# Emphasis\n\n${Array.from({ length: Math.max(1, Math.ceil(bytes / 1000)) }, () => line).join('\n')}\n`;
}

/** Lists nested `depth` deep, again and again: each level re-walks what it holds (1 MB 1,000 deep took 24.5 s). */
export function nestedLists(bytes: number, depth = 1000): string {
  const lines: string[] = ['# Nested', ''];
  let size = 0;
  for (let level = 0; size < bytes; level = (level + 1) % depth) {
    const line = `${'  '.repeat(level)}- item ${level}`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

/** One line of `- - - - … x`: nested as deep as it is long, in a few KB. */
export function markerLine(markers: number): string {
  return `# Markers\n\n${'- '.repeat(markers)}x\n`;
}

/** One list of links and no heading: the chunked parse cannot split it, so the whole tree is alive at once. */
export function listWithoutHeadings(bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `- [Link ${i}](https://example${i % 997}.com/page/${i}) - a description of link ${i}`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

/** A table `columns` wide: every cell a node, every row a walk over the header (8.7 MB crashed the process). */
export function wideTable(bytes: number, columns = 1000): string {
  const row = (cell: (i: number) => string) => `|${Array.from({ length: columns }, (_, i) => cell(i)).join('|')}|`;
  const lines = ['# Table', '', row((i) => `h${i}`), row(() => '-')];
  let size = 0;
  while (size < bytes) {
    const line = row(() => 'x');
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

/**
 * "Billion laughs" in YAML front matter: 1 KB of nested aliases, `levels` deep, that a serialiser
 * expands to 9^levels values (start crashed with 1.4 GB at 9 levels).
 */
export function aliasBomb(levels = 9): string {
  const lines = ['---', 'title: Laughs', 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < levels; i++) {
    const refs = Array.from({ length: 9 }, () => `*a${i - 1}`).join(',');
    lines.push(`a${i}: &a${i} [${refs}]`);
  }
  lines.push(`draft: *a${levels - 1}`, '---', '', '# Laughs', '', '- [Still here](https://still.example.com) - the body loads', '');
  return lines.join('\n');
}
